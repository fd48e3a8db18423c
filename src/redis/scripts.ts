/**
 * The Lua scripts of `RedisCounterStore`. Each runs atomically inside Redis, so one call is one
 * round trip and one truth for every app instance. Times travel as strings computed by the
 * caller (Redis parses scores with full double precision; Lua would format numbers with 14
 * significant digits), and every key written gets a PEXPIRE.
 */

/**
 * `consume` and `peek` over several counters. KEYS: two per spec (the counter, and the
 * sequence that makes sliding-window members unique). ARGV: write flag ('1' consume, '0'
 * peek), now, then five per spec: kind ('s' sliding | 'f' fixed | 'd' distinct), limit (−1 is
 * unlimited), then for 's': edge, ttl; for 'f': resetAt, ttl; for 'd': resetAt, ttl, member.
 *
 * Layouts: sliding = ZSET of admitted hits (score = time, member = sequence number); fixed =
 * HASH { n = count, e = end of window }; distinct = HASH { e = end of window, m:<member> = 1 }.
 * Fixed and distinct keep their window end inside the key so a caller clock past it reads an
 * empty counter even before Redis expires the key (the same rule as the memory store).
 *
 * Returns { allowed, then per spec: room (0/1), used, oldest sliding hit or '' }.
 */
export const CONSUME_SCRIPT = `
local write = ARGV[1] == '1'
local now = tonumber(ARGV[2])
local n = #KEYS / 2
local rooms, useds = {}, {}
local all = true

local function alive(key)
  local e = redis.call('HGET', key, 'e')
  return e and tonumber(e) > now
end

local function has_room(used, limit)
  return limit < 0 or used < limit
end

for i = 1, n do
  local j = 2 + (i - 1) * 5
  local kind, limit, key = ARGV[j + 1], tonumber(ARGV[j + 2]), KEYS[2 * i - 1]
  local used, room = 0, false
  if kind == 's' then
    if write then redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[j + 3]) end
    used = redis.call('ZCOUNT', key, '(' .. ARGV[j + 3], '+inf')
    room = has_room(used, limit)
  elseif kind == 'f' then
    if alive(key) then used = tonumber(redis.call('HGET', key, 'n')) or 0 end
    room = has_room(used, limit)
  else
    local known = false
    if alive(key) then
      used = redis.call('HLEN', key) - 1
      known = redis.call('HEXISTS', key, 'm:' .. ARGV[j + 5]) == 1
    end
    room = known or has_room(used, limit)
  end
  rooms[i], useds[i] = room, used
  all = all and room
end

if write and all then
  for i = 1, n do
    local j = 2 + (i - 1) * 5
    local kind, key = ARGV[j + 1], KEYS[2 * i - 1]
    if kind == 's' then
      local score = ARGV[2]
      -- Never let a window go back in time when an instance's clock lags: keeps it sorted.
      local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
      if newest[2] and tonumber(newest[2]) > now then score = newest[2] end
      local seq = KEYS[2 * i]
      redis.call('ZADD', key, score, redis.call('INCR', seq))
      redis.call('PEXPIRE', key, ARGV[j + 4])
      redis.call('PEXPIRE', seq, ARGV[j + 4])
      useds[i] = redis.call('ZCARD', key)
    elseif kind == 'f' then
      if alive(key) then
        useds[i] = redis.call('HINCRBY', key, 'n', 1)
      else
        redis.call('DEL', key)
        redis.call('HSET', key, 'n', 1, 'e', ARGV[j + 3])
        redis.call('PEXPIRE', key, ARGV[j + 4])
        useds[i] = 1
      end
    else
      if not alive(key) then
        redis.call('DEL', key)
        redis.call('HSET', key, 'e', ARGV[j + 3])
        redis.call('PEXPIRE', key, ARGV[j + 4])
      end
      redis.call('HSET', key, 'm:' .. ARGV[j + 5], 1)
      useds[i] = redis.call('HLEN', key) - 1
    end
  end
end

local out = { all and 1 or 0 }
for i = 1, n do
  local j = 2 + (i - 1) * 5
  local oldest = ''
  if ARGV[j + 1] == 's' then
    local first = redis.call('ZRANGEBYSCORE', KEYS[2 * i - 1], '(' .. ARGV[j + 3], '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
    if first[2] then oldest = first[2] end
  end
  out[#out + 1] = rooms[i] and 1 or 0
  out[#out + 1] = useds[i]
  out[#out + 1] = oldest
end
return out
`;

/**
 * `recordFailure`. KEYS: failures (ZSET, sliding), their sequence, the block (string = end of
 * block). ARGV: now, edge, maxFailures, window ttl, block end, block ttl.
 * Returns { failures (−1: a block was already in force), block end or '', placed now (0/1) }.
 */
export const FAILURE_SCRIPT = `
local now = tonumber(ARGV[1])
local block = redis.call('GET', KEYS[3])
if block and tonumber(block) > now then return { -1, block, 0 } end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local score = ARGV[1]
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if newest[2] and tonumber(newest[2]) > now then score = newest[2] end
redis.call('ZADD', KEYS[1], score, redis.call('INCR', KEYS[2]))
local max = tonumber(ARGV[3])
local count = redis.call('ZCARD', KEYS[1])
if count > max then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, count - max - 1)
  count = max
end
if count >= max then
  redis.call('DEL', KEYS[1], KEYS[2])
  redis.call('SET', KEYS[3], ARGV[5], 'PX', ARGV[6])
  return { count, ARGV[5], 1 }
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return { count, '', 0 }
`;
