/* The loaded tables, reduced to what the hunt and the views need:
 * Public logons as compact events (interned strings, a timestamp, and where
 * the raw row is), and the sets of device-assigned and identity-seen IPs.
 * Every loader (CSV now, JSON formats too) feeds rows through
 * table_chunk_row, and chunks are merged in input order. */
#ifndef LH_TABLE_H
#define LH_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "filemap.h"
#include "strtab.h"
#include "tuptab.h"
#include "util.h"

enum lh_table { LH_LOGONS, LH_NETWORK, LH_IDENTITY, LH_NTABLES };

/* The columns each table must provide, in slot order. */
enum { LC_TIMESTAMP, LC_DEVICEID, LC_DEVICENAME, LC_ACTIONTYPE, LC_LOGONTYPE,
	LC_ACCOUNTDOMAIN, LC_ACCOUNTNAME, LC_REMOTEIP, LC_REMOTEIPTYPE, LC_N };
enum { NC_IPADDRESSES, NC_N };
enum { IC_IPADDRESS, IC_ISP, IC_N };
#define TABLE_MAX_COLS LC_N

/* The summary's group keys, in output order. */
enum { K_DOMAIN, K_NAME, K_LOGONTYPE, K_REMOTEIP, K_ACTIONTYPE, K_N };

/* Bits of table_data.ipflags, per string id. */
#define IPF_DEVICE 1u		/* assigned to a device (DeviceNetworkInfo) */
#define IPF_IDENT_OTHER 2u	/* identity logon with ISP != INTERNAL_NETWORK */
#define IPF_IDENT_INTERNAL 4u	/* identity logon with ISP == INTERNAL_NETWORK */

const char *table_name(enum lh_table t);
size_t table_ncols(enum lh_table t);
/* The column name of a slot (the first spelling). */
const char *table_col_name(enum lh_table t, size_t slot);
/* The slot a header name fills, or -1. Exact, case-sensitive names as
 * Kusto has them, plus documented alternates (Isp for ISP). */
int table_col_slot(enum lh_table t, const char *name, size_t n);

/* The two strings of table_data.devices' tuples. */
enum { DEV_ID, DEV_NAME, DEV_N };

/* A Public logon, the only kind of DeviceLogonEvents row the hunt uses.
 * A device's two strings are kept once per distinct pair, not per logon
 * (48 bytes where 56 were). The group keys stay here: in a password
 * spray nearly every logon has keys of its own, and a table of key tuples
 * would cost more than it saves. */
struct lh_event {
	int64_t ts;		/* TS_NONE if empty or unparseable; summed:
				 * the earliest, TS_NONE if none had one */
	union {
		struct {	/* one logon: where its raw record is */
			uint64_t offset;	/* byte offset in its file */
			uint32_t line;	/* line where the raw record starts */
			uint32_t file;	/* index into table_data.files */
		};
		struct {	/* summed (table_data.summed): its logons */
			int64_t last;	/* the latest, TS_NONE if none */
			uint64_t n;	/* how many */
		};
	};
	uint32_t key[K_N];	/* string ids */
	uint32_t device;	/* DeviceId, DeviceName: of table_data.devices */
};

/* A load that sums the Public logons per (group keys, device) as it reads
 * them, keeping no single logon: a batch summary's, which never reads a
 * raw row back. Memory then follows the groups (and their devices), not
 * the rows. The time window is applied while loading, as the hunt would
 * apply it: a logon outside it (or without a time, when there is a
 * window) is only counted. */
struct table_sum {
	int64_t from, until;	/* TS_NONE: open */
};

/* An input file, and how to find its records again. */
struct lh_file {
	char *path;
	enum lh_table table;
	int format;		/* loader-defined, for rawevent */
	uint64_t size;
	uint64_t rows;
	struct file_id id;	/* the file as loaded; zero when unknown */
};

/* Rows of one table from one part of one file, built by one thread. */
struct table_chunk {
	enum lh_table table;
	uint32_t file;
	struct strtab *st;	/* chunk-local ids */
	struct tuptab *devices;	/* of chunk-local string ids */
	struct lh_event *ev;
	size_t nev, capev;
	uint32_t *ips;		/* network, identity: (local id << 3) | IPF_* */
	size_t nips, capips;
	uint64_t rows;
	uint64_t odd_action;	/* Public rows whose ActionType is no logon's */
	uint32_t odd_action_line;
	char odd_action_text[40];
	uint64_t bad_ts;	/* Public logons whose Timestamp did not parse */
	uint32_t bad_ts_line;	/* chunk-relative line of the first one */
	char bad_ts_text[40];	/* and the start of its text */
	struct buf scratch;
	/* Summing (table_chunk_sum): ev holds one entry per (keys, device),
	 * found by sum_slots (ev index + 1, open addressing); ev[nfold ..
	 * nev) are logons not yet folded in, at most a batch of them. */
	int summed;
	size_t nfold;
	struct table_sum sum;
	uint32_t *sum_slots;
	size_t sum_nslots;
	uint64_t window_out;	/* logons outside the window, dropped */
	int64_t newest;		/* the latest time of any Public logon */
};

/* A row of the hunt's summary, read from an exported result instead of
 * computed: keys are string ids of table_data.st. */
struct lh_presummary {
	uint32_t key[K_N];
	int64_t first, last;	/* TS_NONE when empty */
	uint64_t count;
	uint32_t devices;
};

struct table_data {
	struct strtab *st;
	struct tuptab *devices;	/* DEV_N string ids per tuple */
	struct lh_event *ev;
	size_t nev, capev;
	uint8_t *ipflags;	/* per string id */
	size_t capflags;
	struct lh_file *files;
	size_t nfiles, capfiles;
	uint64_t rows[LH_NTABLES];
	uint64_t other_records;	/* streaming records of other tables, skipped */
	uint64_t bad_ts;
	uint64_t odd_action;	/* see table_data_warnings */
	uint32_t odd_action_file, odd_action_line;
	char odd_action_text[40];
	/* Summary rows loaded as they are (the hunt's result exported from
	 * Sentinel or Defender), in input order. */
	struct lh_presummary *presum;
	size_t npresum, cappresum;
	/* Set before loading (table_data_sum): ev holds sums, not logons. */
	int summed;
	struct table_sum sum;
	uint64_t window_out;	/* summed: logons outside the window */
	int64_t newest;		/* summed: the latest time of any Public
				 * logon, in the window or not */
	uint32_t *sum_slots;	/* summed, while loading: ev index + 1 of
				 * each (keys, device), open addressing */
	size_t sum_nslots;
};

/* An event's device's strings. */
static inline uint32_t
table_event_device_id(const struct table_data *d, const struct lh_event *e)
{
	return tuptab_get(d->devices, e->device)[DEV_ID];
}

static inline uint32_t
table_event_device_name(const struct table_data *d, const struct lh_event *e)
{
	return tuptab_get(d->devices, e->device)[DEV_NAME];
}

/* How many Public logons an entry of ev stands for, and the latest time
 * among them. */
static inline uint64_t
table_event_count(const struct table_data *d, const struct lh_event *e)
{
	return d->summed ? e->n : 1;
}

static inline int64_t
table_event_last(const struct table_data *d, const struct lh_event *e)
{
	return d->summed ? e->last : e->ts;
}

struct table_data *table_data_new(void);
/* Makes d a summed load (before anything is loaded into it). */
void table_data_sum(struct table_data *d, const struct table_sum *s);
/* The Public logons loaded, in the window or not. */
uint64_t table_data_logons(const struct table_data *d);
/* Frees the entries of a summed load once the hunt is done with them. */
void table_data_forget_events(struct table_data *d);
/* Frees what only loading needs (the index of a summed load's entries):
 * after the last file, before the hunt. */
void table_data_loaded(struct table_data *d);
void table_data_free(struct table_data *d);
uint32_t table_data_add_file(struct table_data *d, const char *path,
    enum lh_table t, int format, uint64_t size);

void table_chunk_init(struct table_chunk *c, enum lh_table t, uint32_t file);
/* Makes the chunk sum its logons as d's load does (nothing if d's does
 * not); a chunk that does not is summed when it is merged. */
void table_chunk_sum(struct table_chunk *c, const struct table_data *d);
void table_chunk_free(struct table_chunk *c);
/* 0 if the hunt can never use the row (a logon that is not Public), so
 * loaders need not check or keep it beyond counting it. */
int table_row_relevant(enum lh_table t, const struct lh_str *vals);
/* The slot whose value alone decides that, and the value that makes a
 * row relevant (exact bytes); -1 when every row is. */
int table_relevance(enum lh_table t, const char **value);
/* Adds one row; vals[slot] are the values (absent columns empty). */
void table_chunk_row(struct table_chunk *c, const struct lh_str *vals,
    uint64_t offset, uint32_t line);
/* Moves a chunk's rows into d, adding line_base to its line numbers;
 * the chunk is left empty, with its counts. */
void table_data_merge(struct table_data *d, struct table_chunk *c,
    uint32_t line_base);

/* Reports what looks wrong with the data as a whole, after loading: a
 * "DeviceLogonEvents" export holding rows of other tables (a union export
 * has network events with RemoteIPType Public too). */
void table_data_warnings(const struct table_data *d,
    void (*warn)(void *ctx, const char *msg), void *ctx);

/* Appends a summary row; the key strings are interned into d->st. */
void table_data_add_presummary(struct table_data *d,
    const struct lh_str key[K_N], int64_t first, int64_t last,
    uint64_t count, uint32_t devices);

/* The IPAddresses expansion, as mvexpand + tostring(...IPAddress) does:
 * calls add once per resulting string. Exposed for the tests. */
void table_expand_ipaddresses(const char *json, size_t n,
    void (*add)(void *ctx, const char *ip, size_t len), void *ctx);

#endif
