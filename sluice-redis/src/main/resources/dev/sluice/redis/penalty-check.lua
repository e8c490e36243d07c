-- Where one client stands with progressive penalties, without changing anything. The record is
-- written by penalty-violation.lua; this script only reads it.
--
-- KEYS[1]: the client's record, "windowStart|violations|level|until|forgetAt" in units of time
--          (until empty: no penalty yet).
-- ARGV: now (empty: Redis TIME in microseconds).
-- Reply: {level (0 once forgotten), remaining (0 unless a penalty is in force)}.

local now
if ARGV[1] == '' then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000000 + tonumber(time[2])
else
  now = tonumber(ARGV[1])
end

local raw = redis.call('GET', KEYS[1])
if not raw then
  return {0, 0}
end
local _, _, level, untilAt, forgetAt =
  string.match(raw, '^(-?%d+)|(-?%d+)|(-?%d+)|(-?%d*)|(-?%d+)$')
if not level then
  return redis.error_reply('penalty record ' .. KEYS[1] .. ' is not a penalty record: ' .. raw)
end
level, untilAt, forgetAt = tonumber(level), tonumber(untilAt), tonumber(forgetAt)
if now >= forgetAt then
  return {0, 0}
end
if untilAt and now < untilAt then
  return {level, untilAt - now}
end
return {level, 0}
