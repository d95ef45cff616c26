"""The queue's atomic steps, as Lua scripts run by Redis (handoff/queue/store.py registers them).

Every step that moves a conversation in or out of the waiting queue also moves it in or out of the
ranked index (handoff/queue/rank_index.py), in the same step: the index never shows a conversation
that is not waiting, nor misses one that is. Index keys are ``<prefix><skill>:<language>``, for
each of the index's three prefixes (rank_index.index_prefixes, passed in ARGV: the whole index,
light, heavy), the skill and language read from the entry itself.
"""

# Out of every index key of its route (UNINDEX(entry key, id, where the three prefixes start in ARGV)).
_UNINDEX = """
local function unindex(entry, id, first)
  local route = redis.call('HMGET', entry, 'skill', 'language')
  local suffix = (route[1] or '') .. ':' .. (route[2] or '')
  for i = first, first + 2 do redis.call('ZREM', ARGV[i] .. suffix, id) end
end
"""

# Claim one conversation by id, only if still waiting: the state check and the move are one step.
# KEYS: entry, queue, the agent's conversations, version; ARGV: id, agent, display name, now, the
# three index prefixes.
CLAIM = (
    _UNINDEX
    + """
if redis.call('HGET', KEYS[1], 'state') ~= 'queued' then return 0 end
if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return 0 end
unindex(KEYS[1], ARGV[1], 5)
redis.call('HSET', KEYS[1], 'state', 'assigned', 'agent', ARGV[2], 'agent_display', ARGV[3], 'claimed_at', ARGV[4])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('INCR', KEYS[4])
return 1
"""
)

# The claiming itself and the choice of the best, shared by the two claim-next scripts below (Lua
# functions, not scripts). ARGV of both: conv key prefix, agent, display name, now, the three index
# prefixes, then their own. The best is the lowest score, then the lower id (the order ZRANGE
# keeps within one key).
_TAKE = (
    _UNINDEX
    + """
local function take(id, index)
  local key = ARGV[1] .. id
  local waiting = redis.call('HGET', key, 'state') == 'queued' and redis.call('ZREM', KEYS[1], id) == 1
  redis.call('ZREM', index, id)  -- not waiting: never offered again (also with no entry left)
  unindex(key, id, 5)
  if not waiting then return false end
  redis.call('HSET', key, 'state', 'assigned', 'agent', ARGV[2], 'agent_display', ARGV[3], 'claimed_at', ARGV[4])
  redis.call('SADD', KEYS[2], id)
  redis.call('INCR', KEYS[3])
  return true
end

local best, best_score, best_index
local function consider(id, score, index)
  if best == nil or score < best_score or (score == best_score and id < best) then
    best, best_score, best_index = id, score, index
  end
end

local function consider_head(index)
  local head = redis.call('ZRANGE', index, 0, 0, 'WITHSCORES')
  if head[1] then consider(head[1], tonumber(head[2]), index) end
end
"""
)

# Claim next for an agent every waiting case of their routes is open to (routing.takes_any): the
# best head among their routes' whole-index keys. Reads one entry per key, however long the queue.
# KEYS: queue, the agent's conversations, version; ARGV: as _TAKE's, then the whole-index keys.
CLAIM_BEST = (
    _TAKE
    + """
for _ = 1, 1000 do
  best, best_score, best_index = nil, nil, nil
  for i = 8, #ARGV do consider_head(ARGV[i]) end
  if best == nil then return false end
  if take(best, best_index) then return best end
end
return false
"""
)

# Claim next for a loaded agent (not paused, load at or over the threshold: routing.offer_refusal):
# the best of the heads of their routes' light keys and, on the routes where they may take an
# overdue heavy case (routing.least_loaded), the heavy cases requested by the cutoff (now −
# heavy_override_seconds), ranked by their whole-index score. KEYS: as CLAIM_BEST; ARGV: as
# _TAKE's, the cutoff, then per route: light key, heavy key ('' when no heavy case is theirs to
# take there), whole-index key.
CLAIM_LIGHTER = (
    _TAKE
    + """
for _ = 1, 1000 do
  best, best_score, best_index = nil, nil, nil
  for i = 9, #ARGV, 3 do
    consider_head(ARGV[i])
    if ARGV[i + 1] ~= '' then
      for _, id in ipairs(redis.call('ZRANGEBYSCORE', ARGV[i + 1], '-inf', ARGV[8])) do
        local score = redis.call('ZSCORE', ARGV[i + 2], id)
        if score then consider(id, tonumber(score), ARGV[i + 1]) end
      end
    end
  end
  if best == nil then return false end
  if take(best, best_index) then return best end
end
return false
"""
)

# The customer's latest line on their queue entry, only while the entry exists (never a stub).
SET_LAST_LINE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'last_message', ARGV[1], 'last_message_at', ARGV[2])
return 1
"""

# Back to the queue (agent gone or gave it up), only if still held by that agent.
# KEYS: entry, queue, the agent's conversations, version; ARGV: id, agent, then the entry's index
# keys and scores (rank_index.index_entries, computed by the caller from the entry's fields, which
# a conversation keeps while it is live): key, score, key, score.
RELEASE = """
if redis.call('HGET', KEYS[1], 'state') ~= 'assigned' then return 0 end
if redis.call('HGET', KEYS[1], 'agent') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'queued', 'agent', '', 'agent_display', '', 'claimed_at', '')
redis.call('ZADD', KEYS[2], redis.call('HGET', KEYS[1], 'requested_at'), ARGV[1])
for i = 3, #ARGV, 2 do redis.call('ZADD', ARGV[i], ARGV[i + 1], ARGV[1]) end
redis.call('SREM', KEYS[3], ARGV[1])
redis.call('INCR', KEYS[4])
return 1
"""

# End (outcome, back to the bot, customer left); ARGV[2] = '' lets a supervisor end anyone's.
# KEYS: entry, queue, agent key prefix, version, live; ARGV: id, agent or '', now, the three index
# prefixes.
FINISH = (
    _UNINDEX
    + """
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'assigned' and state ~= 'queued' then return 0 end
local agent = redis.call('HGET', KEYS[1], 'agent') or ''
if ARGV[2] ~= '' and agent ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'ended', 'ended_at', ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
unindex(KEYS[1], ARGV[1], 4)
if agent ~= '' then redis.call('SREM', KEYS[3] .. agent .. ':convs', ARGV[1]) end
redis.call('INCR', KEYS[4])
return 1
"""
)

# A chat line with a source id (the bridge's message id, a supervisor joining): added once however
# often it comes. ARGV: source id, maxlen, then field, value, ...; returns the line's id (the old one if known).
ADD_ONCE = """
local known = redis.call('HGET', KEYS[2], ARGV[1])
if known then return known end
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', unpack(fields))
redis.call('HSET', KEYS[2], ARGV[1], id)
redis.call('INCR', KEYS[3])
return id
"""
