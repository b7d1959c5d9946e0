/*
 * Prints the event schema table (schema/event-schema.c) as plain text so
 * the ust tests can check the UST provider's recorded field classes and
 * schema/events-v2.md against the one source of truth:
 *
 *   field NAME TYPE BITS SIGNED UNIT
 *   event NAME EMITTER FIELD,FIELD,... SINCE V1-FIELD,... (- when the same or new)
 */
#include <stdio.h>

#include "event-schema.h"

int main(void)
{
	printf("version\t%d\n", EVENT_SCHEMA_VERSION);
	printf("saturated\t%d\n", SWAP_COUNT_SATURATED);
	for (int f = 0; f < _FIELD_ID_MAX; f++) {
		const SchemaField *sf = &schema_fields[f];

		printf("field\t%s\t%s\t%u\t%d\t%s\n", sf->name, field_type_name(sf->type),
		       field_type_bits(sf->type), field_type_signed(sf->type), sf->unit);
	}
	for (int k = 0; k < _EVENT_KIND_MAX; k++) {
		const SchemaEvent *se = &schema_events[k];

		printf("event\t%s\t%s\t", se->name, se->emitter);
		for (size_t i = 0; i < se->n_fields; i++)
			printf("%s%s", i ? "," : "", schema_fields[se->fields[i]].name);
		printf("\t%d\t", se->since);
		for (size_t i = 0; i < se->n_v1_fields; i++)
			printf("%s%s", i ? "," : "", schema_fields[se->v1_fields[i]].name);
		printf("%s\n", se->n_v1_fields ? "" : "-");
	}
	return 0;
}
