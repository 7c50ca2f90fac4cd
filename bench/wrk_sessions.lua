-- wrk script for bench/web.py: POST /api/v1/sessions, each request a real session of a
-- person of its own (see the docstring of bench/web.py for why).
--
-- args[1]: a Lua file returning {threads = T, people = N, header = "X-Bench-Person",
-- bodies = {...}}, where bodies[k] is the JSON of the k-th session every person records,
-- in date order. wrk thread i (from 0) posts for people i+1, i+1+T, i+1+2T, ... in turn, so
-- the threads never share a person, a person comes round again only after all of its
-- thread's people, and each round posts the next session day.
--
-- Prints "bench: status CODE COUNT" per wrk thread and status, the first bad answer, and
-- "bench: sent COUNT" per wrk thread: the requests sent, answered or not (wrk stops at the
-- end of its duration without waiting for the answers of the requests still in flight).

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local data = dofile(args[1])
  bodies = data.bodies
  header = data.header
  mine = {}
  for person = id + 1, data.people, data.threads do
    mine[#mine + 1] = person
  end
  sent = 0
  -- wrk calls request() once on its first thread before the run, to check the request
  -- (script_verify_request), and never sends what it returns: that call must not use up a
  -- session. (Were it sent after all, a person would post a day twice and get a 422.)
  checked = id ~= 0
  statuses = {}
  first_bad = ""
end

function request()
  local round = math.floor(sent / #mine) + 1
  local person = mine[(sent % #mine) + 1]
  if checked then
    sent = sent + 1
  else
    checked = true
  end
  local body = bodies[round]
  if body == nil then
    -- Out of session days: answered 404, which fails the run (bench/web.py plans enough).
    return wrk.format("GET", "/bench/out-of-session-days")
  end
  local headers = {["Content-Type"] = "application/json"}
  headers[header] = tostring(person)
  return wrk.format("POST", "/api/v1/sessions", headers, body)
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
    io.write("bench: sent ", thread:get("sent"), "\n")
    local bad = thread:get("first_bad")
    if bad ~= "" then
      io.write("bench: first-bad ", bad, "\n")
    end
  end
end
