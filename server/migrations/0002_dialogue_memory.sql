-- Dialogue memory: what each NPC remembers of its conversation with each player in a scene.
-- One conversation row holds the rolling summary and the turn counter; turns are kept in full,
-- and those at or below folded_through are represented by the summary in prompts.

create table dialogue_conversations (
  scene_id text not null check (scene_id <> ''),
  npc_id text not null check (npc_id <> ''),
  player_id text not null check (player_id <> ''),
  summary text not null default '',
  -- seq the next appended turn gets; bumped under the row lock, so concurrent appends never clash.
  next_seq bigint not null default 1 check (next_seq > 0),
  -- Turns with seq <= folded_through are in the summary.
  folded_through bigint not null default 0 check (folded_through >= 0),
  updated_at timestamptz not null default now(),
  primary key (scene_id, npc_id, player_id)
);

create table dialogue_turns (
  scene_id text not null,
  npc_id text not null,
  player_id text not null,
  seq bigint not null check (seq > 0),
  speaker text not null check (speaker in ('player', 'npc')),
  text text not null,
  at timestamptz not null default now(),
  primary key (scene_id, npc_id, player_id, seq),
  foreign key (scene_id, npc_id, player_id)
    references dialogue_conversations (scene_id, npc_id, player_id) on delete cascade
);
