#!/usr/bin/env python3
"""Benchmark helper for benchmarks/scripts/capture-sql.sh: what the API sends to PostgreSQL, as a pgbench script.

  pgwire.py proxy LISTEN_PORT UPSTREAM_PORT TRACE.jsonl
      A loopback TCP proxy in front of PostgreSQL that forwards every byte unchanged and writes one JSON line per
      statement the client sends: the backend pid, the round trip it travelled in, the kind (Q = simple query,
      E = extended-protocol Execute), the SQL and, for E, the parameter type OIDs from its Parse message.
      A round trip is everything the client sends from the moment it has every answer it asked for until it has
      them all again (each Sync and each simple Query is answered by one ReadyForQuery): statements the API
      pipelines or batches (NpgsqlBatch, EF Core's batched SaveChanges, a BEGIN Npgsql prepends) share one trip.

  pgwire.py script TRACE.jsonl POSTGRES.log TYPES.tsv RULES.tsv
      Prints a pgbench script that replays those statements (all trips in the trace, in order) with the parameter
      values PostgreSQL logged (log_statement=all: "execute ...: SQL" then "DETAIL:  parameters: $1 = '...'").
      The trace and the log are matched per backend pid, statement by statement, and must agree.
      TYPES.tsv: "oid<TAB>type name" (format_type), to cast every value to the type the API bound it as.
      RULES.tsv: "\\set ..." lines are copied to the top; "VALUE<TAB>EXPRESSION" lines replace a parameter whose
      whole logged value is VALUE by (EXPRESSION)::type; a line "KEEP<TAB>VALUE" keeps a uuid value literal.

Substitution rules (in this order, per parameter):
  1. NULL stays NULL::type.
  2. A value named in RULES.tsv becomes (EXPRESSION)::type (e.g. the service code, month, amount, idempotency key).
  3. Any other value that is a whole uuid, other than the nil uuid and KEEP values, is taken to be generated per
     request (a posting id, an audit event id): each distinct captured uuid i becomes md5(:n || '-i')::uuid, so
     one value used in several statements stays one value within a transaction and differs between transactions
     (:n must be \\set in RULES.tsv, e.g. random(1, 4611686018427387903)).
  4. Everything else (timestamps, hashes, JSON documents such as the audit snapshot and the stored response) is
     replayed literally, so the rows written are the same size as the API's.
A round trip of one statement is sent as it is; a trip of several becomes \\startpipeline ... \\endpipeline
(pgbench -M extended or -M prepared). BEGIN and COMMIT appear because, and where, the API sent them.
"""
import asyncio
import json
import re
import struct
import sys

SSL_REQUEST, GSSENC_REQUEST, CANCEL_REQUEST = 80877103, 80877104, 80877102


# ---------------------------------------------------------------- proxy

class Connection:
    counter = 0

    def __init__(self, trace):
        Connection.counter += 1
        self.id = Connection.counter
        self.trace = trace
        self.pid = None
        self.statements = {}  # prepared statement name -> (sql, oids)
        self.portals = {}  # portal name -> statement name
        self.outstanding = 0  # Syncs and simple Queries not yet answered by ReadyForQuery
        self.trip = 0
        self.trip_open = False
        self.pending_one_byte = 0  # answers to SSLRequest/GSSENCRequest are a single byte, not a message

    def write(self, record):
        record.update(conn=self.id, pid=self.pid, trip=self.trip)
        self.trace.write(json.dumps(record) + "\n")
        self.trace.flush()

    def client_message(self, kind, body):
        if kind in b"PBDEQSCHF" and not self.trip_open:
            self.trip += 1
            self.trip_open = True
        if kind == b"P":
            name, rest = cstring(body)
            sql, rest = cstring(rest)
            (count,) = struct.unpack("!h", rest[:2])
            oids = list(struct.unpack("!%dI" % count, rest[2:2 + 4 * count]))
            self.statements[name] = (sql, oids)
        elif kind == b"B":
            portal, rest = cstring(body)
            statement, _ = cstring(rest)
            self.portals[portal] = statement
        elif kind == b"E":
            portal, _ = cstring(body)
            statement = self.portals.get(portal, "")
            sql, oids = self.statements.get(statement, ("", []))
            self.write({"kind": "E", "statement": statement, "sql": sql, "oids": oids})
        elif kind == b"Q":
            sql, _ = cstring(body)
            self.write({"kind": "Q", "sql": sql, "oids": []})
        if kind in b"SQ":
            self.outstanding += 1

    def server_message(self, kind, body):
        if kind == b"K":
            (self.pid,) = struct.unpack("!I", body[:4])
        elif kind == b"Z" and self.outstanding > 0:
            self.outstanding -= 1
            if self.outstanding == 0:
                self.trip_open = False


def cstring(data):
    end = data.index(b"\0")
    return data[:end].decode("utf-8", "replace"), data[end + 1:]


async def pump(reader, writer, on_message, untyped_first, conn, from_client):
    """Forwards bytes, calling on_message for each complete protocol message before passing it on."""
    buffer = b""
    expect_startup = untyped_first
    try:
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                break
            buffer += chunk
            while True:
                if not from_client and conn.pending_one_byte and buffer:
                    conn.pending_one_byte -= 1
                    writer.write(buffer[:1])
                    buffer = buffer[1:]
                    continue
                if expect_startup:
                    if len(buffer) < 8:
                        break
                    (length, code) = struct.unpack("!II", buffer[:8])
                    if len(buffer) < length:
                        break
                    if code in (SSL_REQUEST, GSSENC_REQUEST):
                        conn.pending_one_byte += 1
                    elif code != CANCEL_REQUEST:
                        expect_startup = False
                    writer.write(buffer[:length])
                    buffer = buffer[length:]
                    continue
                if len(buffer) < 5:
                    break
                (length,) = struct.unpack("!I", buffer[1:5])
                if len(buffer) < 1 + length:
                    break
                on_message(buffer[:1], buffer[5:1 + length])
                writer.write(buffer[:1 + length])
                buffer = buffer[1 + length:]
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def proxy(listen_port, upstream_port, trace_path):
    trace = open(trace_path, "a", encoding="utf-8")

    async def handle(client_reader, client_writer):
        conn = Connection(trace)
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            pump(client_reader, server_writer, conn.client_message, True, conn, True),
            pump(server_reader, client_writer, conn.server_message, False, conn, False))

    server = await asyncio.start_server(handle, "127.0.0.1", listen_port)
    async with server:
        await server.serve_forever()


# ---------------------------------------------------------------- script

ENTRY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (\w+):  (.*)$")
STATEMENT = re.compile(r"^(?:statement|execute [^:]*): (.*)$", re.S)
PARAM = re.compile(r"\$(\d+) = (NULL|'((?:[^']|'')*)')(?:, |$)", re.S)
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
NIL_UUID = "00000000-0000-0000-0000-000000000000"


def log_entries(path):
    """(pid, level, message) of each entry of a stderr-format PostgreSQL log (continuation lines start with a tab)."""
    entries = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = ENTRY.match(line)
            if m:
                entries.append([int(m.group(1)), m.group(2), m.group(3)])
            elif line.startswith("\t") and entries:
                entries[-1][2] += "\n" + line[1:]
    return entries


def logged_statements(path):
    """Per pid, the statements logged by log_statement=all, in order: (sql, {n: value or None})."""
    by_pid = {}
    for pid, level, message in log_entries(path):
        if level == "LOG":
            m = STATEMENT.match(message)
            if m:
                by_pid.setdefault(pid, []).append([m.group(1), {}])
        elif level == "DETAIL" and message.startswith("parameters: ") and by_pid.get(pid):
            params = {}
            for p in PARAM.finditer(message[len("parameters: "):]):
                params[int(p.group(1))] = None if p.group(2) == "NULL" else p.group(3).replace("''", "'")
            by_pid[pid][-1][1] = params
    return by_pid


def literal(value):
    """A SQL string literal pgbench will not touch: a ':' would start a pgbench variable, so it is escaped."""
    if any(c in value for c in ":\\\n\r\t"):
        escaped = (value.replace("\\", "\\\\").replace("'", "''").replace(":", "\\x3a")
                   .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))
        return "E'" + escaped + "'"
    return "'" + value.replace("'", "''") + "'"


def substitute(sql, replacement):
    """Replaces $n placeholders outside string literals, quoted identifiers and comments."""
    out, i = [], 0
    while i < len(sql):
        c = sql[i]
        if c in "'\"":
            j = i + 1
            while j < len(sql):
                if sql[j] == c:
                    if j + 1 < len(sql) and sql[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            out.append(sql[i:j + 1])
            i = j + 1
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            j = len(sql) if j < 0 else j
            out.append(sql[i:j])
            i = j
        elif c == "$" and i + 1 < len(sql) and sql[i + 1].isdigit() and (i == 0 or not (sql[i - 1].isalnum() or sql[i - 1] == "_")):
            j = i + 1
            while j < len(sql) and sql[j].isdigit():
                j += 1
            out.append(replacement(int(sql[i + 1:j])))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def script(trace_path, log_path, types_path, rules_path):
    with open(types_path, encoding="utf-8") as f:
        types = {int(oid): name for oid, name in (line.rstrip("\n").split("\t", 1) for line in f if line.strip())}
    sets, rules, keep = [], {}, {NIL_UUID}
    with open(rules_path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("\\set "):
                sets.append(line)
            elif line.startswith("KEEP\t"):
                keep.add(line.split("\t", 1)[1])
            elif "\t" in line:
                value, expression = line.split("\t", 1)
                rules[value] = expression
    with open(trace_path, encoding="utf-8") as f:
        trace = [json.loads(line) for line in f if line.strip()]
    logged = logged_statements(log_path)
    uuids = {}
    matched = dict.fromkeys(rules, 0)
    cursor = {}
    trips = []  # [(conn, trip), [sql, ...]]
    for event in trace:
        pid = event["pid"]
        index = cursor.get(pid, 0)
        entries = logged.get(pid, [])
        if index >= len(entries):
            sys.exit("pgwire.py: backend %s sent %r but the PostgreSQL log has no entry for it" % (pid, event["sql"][:80]))
        logged_sql, params = entries[index]
        cursor[pid] = index + 1
        if logged_sql.strip() != event["sql"].strip():
            sys.exit("pgwire.py: backend %s: the trace and the log disagree:\n%s\n---\n%s" % (pid, event["sql"], logged_sql))

        def value(n, params=params, oids=event["oids"]):
            v = params.get(n)
            oid = oids[n - 1] if n - 1 < len(oids) else 0
            cast = "::" + types[oid] if oid in types else ""
            if v is None:
                return "NULL" + cast
            if v in rules:
                matched[v] += 1
                return "(" + rules[v] + ")" + cast
            if UUID.match(v) and v not in keep and "*" not in keep:
                i = uuids.setdefault(v, len(uuids) + 1)
                return "md5(:n::text || '-%d')::uuid%s" % (i, cast if cast != "::uuid" else "")
            return literal(v) + cast

        sql = substitute(event["sql"].strip().rstrip(";"), value)
        key = (event["conn"], event["trip"])
        if not trips or trips[-1][0] != key:
            trips.append((key, []))
        trips[-1][1].append(sql + ";")
    lines = ["-- generated by benchmarks/scripts/pgwire.py from the statements the API sent (%d round trips, %d statements)"
             % (len(trips), sum(len(s) for _, s in trips))]
    named = any(e["kind"] == "E" and e["statement"] for e in trace)
    lines.append("-- pgbench mode: %s" % ("prepared" if named else "extended"))
    # Comments reach the server inside the next command's text, so they must not hold a ':name' pgbench would bind.
    lines += ["-- rule for the value %s matched %d parameters" % (v.replace(":", "."), matched[v]) for v in rules]
    lines.append("-- %d distinct generated uuid values, each md5(:n || '-i')::uuid" % len(uuids))
    lines += sets
    for number, (_, statements) in enumerate(trips, 1):
        lines.append("-- round trip %d: %d statement%s" % (number, len(statements), "" if len(statements) == 1 else "s"))
        if len(statements) > 1:
            lines.append("\\startpipeline")
        lines += statements
        if len(statements) > 1:
            lines.append("\\endpipeline")
    print("\n".join(lines))


def main(argv):
    if len(argv) == 5 and argv[1] == "proxy":
        asyncio.run(proxy(int(argv[2]), int(argv[3]), argv[4]))
    elif len(argv) == 6 and argv[1] == "script":
        script(*argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
