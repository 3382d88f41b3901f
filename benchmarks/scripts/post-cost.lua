-- wrk script: POST one cost per request to a random service of the scale model, a random month of its ten
-- years, with a unique Idempotency-Key per request (run label + thread id + counter).
-- args: <admin key> <services> <run label>
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
end

function init(args)
  key = args[1]
  services = tonumber(args[2])
  label = args[3]
  counter = 0
  math.randomseed(tid * 7919)
end

function request()
  counter = counter + 1
  local s = math.random(1, services)
  local m = math.random(0, 119)
  local month = string.format("%04d-%02d", 2016 + math.floor((m + 3) / 12), ((m + 3) % 12) + 1)
  local body = string.format('{"month":"%s","amount":%d.%02d,"category":"staff","reference":"wrk-%d"}',
    month, math.random(1, 20000), math.random(0, 99), counter)
  local headers = { ["X-Api-Key"] = key, ["Content-Type"] = "application/json" }
  if label ~= "nokey" then -- "nokey": experiment without the idempotency record
    headers["Idempotency-Key"] = string.format("%s-%d-%d", label, tid, counter)
  end
  return wrk.format("POST", string.format("/api/v1/shared-services/S%04d/costs", s), headers, body)
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx/3xx or socket errors: status %d, connect %d, read %d, write %d, timeout %d\n",
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
