-- wrk script for bench/clinic.py: requests of signed-in accounts of a clinic's server
-- (`lumbar serve --accounts`), each with its account's session cookie and CSRF token.
--
-- args[1]: a Lua file returning
--   {threads = T, method = "POST", path = "/api/v1/problems", cycle = true,
--    accounts = {{cookie = "lumbar_session=...", csrf = "...", next = 1}, ...},
--    bodies = {...}}
-- wrk thread i (from 0) takes accounts i+1, i+1+T, i+1+2T, ... and sends for them in turn
-- (with one account, every thread sends for it). With `cycle`, the requests send the bodies
-- in turn (a problem report each); otherwise each account sends bodies[next], then
-- bodies[next + 1], and so on (its next training day, in date order); without bodies, no
-- body (a GET). The CSRF token goes with every request but a GET. An account's days stay in
-- order when each wrk thread has one connection (bench/clinic.py posts sessions with -t16
-- -c16): its next day is sent only after the answer to the one before, which comes after
-- the commit.
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
  method = data.method
  path = data.path
  bodies = data.bodies or {}
  cycle = data.cycle or false
  mine = {}
  if #data.accounts == 1 then
    mine[1] = data.accounts[1]
  else
    for index = id + 1, #data.accounts, data.threads do
      mine[#mine + 1] = data.accounts[index]
    end
  end
  sent = 0
  -- wrk calls request() once on its first thread before the run, to check the request
  -- (script_verify_request), and never sends what it returns: that call must not use up a
  -- training day (as in bench/wrk_sessions.lua).
  checked = id ~= 0
  statuses = {}
  first_bad = ""
end

function request()
  local account = mine[(sent % #mine) + 1]
  local number = sent
  local round = account.next or 1
  if checked then
    sent = sent + 1
    account.next = round + 1
  else
    checked = true
  end
  local headers = {Cookie = account.cookie}
  local body = nil
  if #bodies > 0 then
    if cycle then
      body = bodies[(number % #bodies) + 1]
    else
      body = bodies[round]
      if body == nil then
        -- Out of training days: answered 404, which fails the run (clinic.py plans enough).
        return wrk.format("GET", "/bench/out-of-training-days", headers)
      end
    end
    headers["Content-Type"] = "application/json"
  end
  if method ~= "GET" then
    headers["X-CSRF-Token"] = account.csrf
  end
  return wrk.format(method, path, headers, body)
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
