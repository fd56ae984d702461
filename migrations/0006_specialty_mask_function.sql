-- Specialties as a bit mask: bit i is SPECIALTIES[i] in src/contracts/vocab.ts (a test holds the two
-- in step; a new specialty is appended there and here, never inserted). Searches test and count
-- specialties with integer ANDs over a covering index instead of array scans of the heap rows;
-- unknown codes set no bit. IMMUTABLE so a generated column can call it.
CREATE FUNCTION muster_specialty_mask(specialties text[]) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT COALESCE(bit_or(1 << (array_position(ARRAY[
    'animal_quarantine', 'plant_quarantine', 'health_quarantine', 'commodity_inspection',
    'radiation_safety', 'food_safety', 'legal_affairs', 'customs_clearance',
    'anti_smuggling', 'data_analysis', 'logistics', 'finance'
  ]::text[], s) - 1)), 0)
  FROM unnest(specialties) AS s
$$;
