-- This session's DDL runs by RSU: on this node alone, desynced from the cluster meanwhile.
SET SESSION wsrep_OSU_method = 'RSU'
