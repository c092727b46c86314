/* Fuzz target: the IPAddresses expansion (mvexpand of DeviceNetworkInfo's
 * JSON column, then tostring(IPAddresses.IPAddress)).
 *
 * Besides not crashing on any bytes (deep nesting, huge numbers, broken
 * escapes), the expansion must give one value per element of a JSON
 * array or member of a JSON object (a property bag), exactly one value for
 * anything else, and "" for every element that has no IPAddress; a value
 * never holds a NUL. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "table.h"

const char *const fuzz_dict[] = {
	"{\"IPAddress\":\"10.0.0.1\"}", "\"IPAddress\"", "\"SubnetPrefix\":24",
	"[{", "}]", "\"fe80::1%eth0\"", "\\u0000", "\\ud83d\\ude00", "1e309",
	"-0", "[[[[[[[[", "]]]]]]]]", "{\"IPAddress\":{\"IPAddress\":1}}", NULL
};

struct collect {
	size_t calls, empty;
};

static void
collect(void *ctx, const char *ip, size_t n)
{
	struct collect *c = ctx;

	FUZZ_CHECK(ip != NULL, "a NULL value");
	FUZZ_CHECK(memchr(ip, '\0', n) == NULL, "a value with a NUL inside");
	c->calls++;
	c->empty += n == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct collect c = { 0, 0 };
	cJSON *root;
	size_t want;

	table_expand_ipaddresses((const char *)data, size, collect, &c);
	root = cJSON_ParseWithLength((const char *)data, size);
	want = root != NULL && (cJSON_IsArray(root) || cJSON_IsObject(root)) ?
	    (size_t)cJSON_GetArraySize(root) : 1;
	FUZZ_CHECK(c.calls == want, "%zu values for input that should give %zu",
	    c.calls, want);
	if (root == NULL)
		FUZZ_CHECK(c.empty == 1, "text that is not JSON gave a value");
	cJSON_Delete(root);
	return 0;
}
