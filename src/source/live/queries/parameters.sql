-- Routines' parameters in order (position 0, a function's result, is read from ROUTINES).
SELECT SPECIFIC_NAME AS routine, ROUTINE_TYPE AS kind, PARAMETER_MODE AS mode,
       PARAMETER_NAME AS name, DTD_IDENTIFIER AS data_type, CHARACTER_SET_NAME AS charset,
       COLLATION_NAME AS collation
FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA = ? AND ORDINAL_POSITION > 0
ORDER BY SPECIFIC_NAME, ROUTINE_TYPE, ORDINAL_POSITION
