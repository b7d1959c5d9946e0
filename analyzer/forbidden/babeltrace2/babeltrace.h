/*
 * First on the analyzer's include path: the engine knows neither SQLite
 * nor babeltrace2 (DESIGN.md §8).  It is fed normalized Events and Gaps
 * (schema/event.h); replay/ reads traces.
 */
#error "analyzer/ must not use babeltrace2: it is fed Events and Gaps (event.h)"
