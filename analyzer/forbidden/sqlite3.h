/*
 * First on the analyzer's include path: the engine knows neither SQLite
 * nor babeltrace2 (DESIGN.md §8).  Records leave it through a ReplayOutput
 * (records.h); store/ writes them.
 */
#error "analyzer/ must not use SQLite: hand records to a ReplayOutput (records.h)"
