// Parses KQL queries with Microsoft's Kusto parser and semantic analyser
// (npm @kusto/language-service-next) against the schemas of the tables the
// hunt reads, and fails on any diagnostic of error severity.
//
// usage: node parse.mjs [--literals] FILE...
// Each FILE holds one query. Prints "ok FILE" and "shape HASH" (a hash of
// its tokens, string literals' text left out), or the errors, one per line
// with the text around them; exit status 1 if any query has an error.
// --literals also prints every string literal's value as Kusto decodes it,
// one JSON string per line after "literal ", so that a test can check that
// what went into the query comes out unchanged.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";

const require = createRequire(import.meta.url);
// The package is installed at the top of the source tree (node_modules is
// git-ignored); NODE_PATH may name another place.
const top = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
function load(name) {
	try {
		return require.resolve(name, { paths: [top, ...(process.env.NODE_PATH || "").split(":").filter(Boolean)] });
	} catch (e) {
		console.error(`parse.mjs: ${name} is not installed (npm install @kusto/language-service-next)`);
		process.exit(77);
	}
}
require(load("@kusto/language-service-next/bridge.js"));
require(load("@kusto/language-service-next/Kusto.Language.Bridge.js"));

const K = globalThis.Kusto.Language;
const S = K.Symbols;
const T = S.ScalarTypes;

function table(name, cols) {
	return new S.TableSymbol.$ctor4(name, cols.map(([n, t]) => new S.ColumnSymbol(n, t)));
}

// Columns and types as Microsoft documents them for advanced hunting
// (learn.microsoft.com, "DeviceLogonEvents", "DeviceNetworkInfo",
// "IdentityLogonEvents" schema tables).
const tables = [
	table("DeviceLogonEvents", [
		["Timestamp", T.DateTime], ["DeviceId", T.String], ["DeviceName", T.String],
		["ActionType", T.String], ["LogonType", T.String], ["AccountDomain", T.String],
		["AccountName", T.String], ["AccountSid", T.String], ["Protocol", T.String],
		["FailureReason", T.String], ["IsLocalAdmin", T.Bool], ["LogonId", T.Long],
		["RemoteDeviceName", T.String], ["RemoteIP", T.String], ["RemoteIPType", T.String],
		["RemotePort", T.Int], ["InitiatingProcessAccountDomain", T.String],
		["InitiatingProcessAccountName", T.String], ["InitiatingProcessAccountSid", T.String],
		["InitiatingProcessAccountUpn", T.String], ["InitiatingProcessAccountObjectId", T.String],
		["InitiatingProcessIntegrityLevel", T.String], ["InitiatingProcessTokenElevation", T.String],
		["InitiatingProcessSHA1", T.String], ["InitiatingProcessSHA256", T.String],
		["InitiatingProcessMD5", T.String], ["InitiatingProcessFileName", T.String],
		["InitiatingProcessFileSize", T.Long], ["InitiatingProcessVersionInfoCompanyName", T.String],
		["InitiatingProcessVersionInfoProductName", T.String],
		["InitiatingProcessVersionInfoProductVersion", T.String],
		["InitiatingProcessVersionInfoInternalFileName", T.String],
		["InitiatingProcessVersionInfoOriginalFileName", T.String],
		["InitiatingProcessVersionInfoFileDescription", T.String],
		["InitiatingProcessId", T.Long], ["InitiatingProcessCommandLine", T.String],
		["InitiatingProcessCreationTime", T.DateTime], ["InitiatingProcessFolderPath", T.String],
		["InitiatingProcessParentId", T.Long], ["InitiatingProcessParentFileName", T.String],
		["InitiatingProcessParentCreationTime", T.DateTime], ["ReportId", T.Long],
		["AppGuardContainerId", T.String], ["AdditionalFields", T.String],
	]),
	table("DeviceNetworkInfo", [
		["Timestamp", T.DateTime], ["DeviceId", T.String], ["DeviceName", T.String],
		["ReportId", T.Long], ["NetworkAdapterName", T.String], ["MacAddress", T.String],
		["NetworkAdapterType", T.String], ["NetworkAdapterStatus", T.String],
		["TunnelType", T.String], ["ConnectedNetworks", T.String], ["DnsAddresses", T.String],
		["IPv4Dhcp", T.String], ["IPv6Dhcp", T.String], ["DefaultGateways", T.String],
		["IPAddresses", T.String], ["NetworkAdapterVendor", T.String],
	]),
	table("IdentityLogonEvents", [
		["Timestamp", T.DateTime], ["ActionType", T.String], ["Application", T.String],
		["LogonType", T.String], ["Protocol", T.String], ["FailureReason", T.String],
		["AccountName", T.String], ["AccountDomain", T.String], ["AccountUpn", T.String],
		["AccountSid", T.String], ["AccountObjectId", T.String], ["AccountDisplayName", T.String],
		["DeviceName", T.String], ["DeviceType", T.String], ["OSPlatform", T.String],
		["IPAddress", T.String], ["Port", T.Int], ["DestinationDeviceName", T.String],
		["DestinationIPAddress", T.String], ["DestinationPort", T.Int],
		["TargetDeviceName", T.String], ["TargetAccountDisplayName", T.String],
		["Location", T.String], ["ISP", T.String], ["ReportId", T.String],
		["AdditionalFields", T.Dynamic],
	]),
];

// Sentinel's _GetWatchlist(alias): the watchlist's own columns and the
// ones Sentinel adds. The CSV columns are declared dynamic, the type
// bag_unpack gives them, so a query that reads them without tostring()
// fails here.
const watchlistCols = process.env.KUSTO_WATCHLIST_TYPE === "string" ? "string" : "dynamic";
const getWatchlist = new S.FunctionSymbol.$ctor16("_GetWatchlist", "(watchlistAlias:string)",
	`{ datatable(_DTItemId:string, LastUpdatedTimeUTC:datetime, SearchKey:string, ` +
	`WatchlistItem:dynamic, Kind:${watchlistCols}, Value:${watchlistCols}, ` +
	`Category:${watchlistCols}, Note:${watchlistCols}, Expiry:${watchlistCols})[] }`, "");

const db = new S.DatabaseSymbol.ctor("hunting", [...tables, getWatchlist]);
const globals = K.GlobalState.Default.WithDatabase(db);

function literals(code, out) {
	code.Syntax.WalkTokens((tok) => {
		if (tok.Kind === K.Syntax.SyntaxKind.StringLiteralToken)
			out.push(K.KustoFacts.GetStringLiteralValue(tok.Text));
	});
}

let failed = 0;
const args = process.argv.slice(2);
const wantLiterals = args[0] === "--literals";
for (const file of wantLiterals ? args.slice(1) : args) {
	const text = readFileSync(file, "utf8");
	const code = K.KustoCode.ParseAndAnalyze(text, globals);
	const diags = code.GetDiagnostics();
	const errors = [];
	for (let i = 0; i < diags.Count; i++) {
		const d = diags.getItem(i);
		if (d.Severity === "Error")
			errors.push(`${file}: offset ${d.Start}: ${d.Message}: ` +
			    JSON.stringify(text.slice(Math.max(0, d.Start - 40), d.Start + 40)));
	}
	if (errors.length === 0) {
		console.log(`ok ${file}`);
		// The query's shape: every token but the text of string
		// literals. Two queries from allowlists that differ only in
		// notes, descriptions or the path (comments) have the same.
		const shape = [];
		code.Syntax.WalkTokens((tok) => {
			shape.push(tok.Kind === K.Syntax.SyntaxKind.StringLiteralToken ?
			    "<string>" : tok.Text);
		});
		console.log(`shape ${createHash("sha256").update(shape.join("\u0000")).digest("hex")}`);
		if (wantLiterals) {
			const lits = [];
			literals(code, lits);
			for (const l of lits)
				console.log(`literal ${JSON.stringify(l)}`);
		}
	} else {
		failed++;
		for (const e of errors)
			console.log(`error ${e}`);
	}
}
process.exit(failed ? 1 : 0);
