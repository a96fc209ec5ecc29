-- wrk script: cycle through a file of request paths (one "/path?query" per line); print a JSON summary.
-- Usage: wrk -t1 -c2 -d10s --latency -s benchmarks/wrk_paths.lua http://127.0.0.1:PORT -- PATHS_FILE
local paths = {}
local idx = 0

function init(args)
  local f = assert(io.open(args[1], "r"))
  for line in f:lines() do
    if #line > 0 then paths[#paths + 1] = line end
  end
  f:close()
  idx = ((tid or 0) * 7) % #paths
end

function setup(thread)
  thread_count = (thread_count or 0) + 1
  thread:set("tid", thread_count - 1)
end

function request()
  idx = idx % #paths + 1
  return wrk.format("GET", paths[idx])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
