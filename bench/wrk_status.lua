-- wrk script for bench/web.py: counts the answers by status, so that the benchmark can fail
-- when any request was not answered 2xx (wrk's own count lets 3xx pass).
-- Prints "bench: status CODE COUNT" per wrk thread and status, and the first bad answer.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  first_bad = ""
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  if (status < 200 or status > 299) and first_bad == "" then
    first_bad = key .. " " .. string.gsub(string.sub(body or "", 1, 300), "%s+", " ")
  end
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      io.write("bench: status ", status, " ", count, "\n")
    end
    local bad = thread:get("first_bad")
    if bad ~= "" then
      io.write("bench: first-bad ", bad, "\n")
    end
  end
end
