using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Apportionment.Api.Features.Ledger;

/// <summary>
/// What a ledger read covers: the services listed, or every service <paramref name="Council"/> belongs to (found in the
/// same round trip); with <paramref name="Closes"/>, also the closed months of those services (a statement is dated by
/// them).
/// </summary>
internal sealed record LedgerScope(IReadOnlyCollection<string> Services, string? Council = null, bool Closes = false)
{
    /// <summary>
    /// With <see cref="Closes"/> (a statement), the council's invoices received come in the same batch.
    /// </summary>
    public static LedgerScope OfCouncil(string council, bool closes) => new([], council, closes);
}

/// <summary>A month of a service that is closed: when, and under what name the service was issued.</summary>
public sealed record MonthClose(string Service, DateOnly Month, DateTimeOffset ClosedAt, string? ServiceName);

internal sealed record ServiceName(
    string Code,
    string Name,
    string HostCouncil,
    DateOnly StartMonth,
    DateOnly? EndMonth);

/// <summary>
/// The rows of one ledger read, summed as they are read: a year of a council's services is about 1,400
/// <c>cost_totals</c> rows, and the domain only needs each service-month's cost and each payer's total.
/// </summary>
internal sealed class LedgerRows
{
    /// <summary>False when the scope named a council that does not exist.</summary>
    public bool CouncilExists { get; set; } = true;

    /// <summary>
    /// The services asked for (for a council, those it belongs to); support services feeding them are not in it.
    /// </summary>
    public HashSet<string> Wanted { get; } = new(StringComparer.Ordinal);

    public List<ServiceName> Names { get; } = [];

    public Dictionary<(string Service, DateOnly Month), decimal> Costs { get; } = [];

    public Dictionary<string, Dictionary<string, decimal>> Paid { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// What each council paid for each service in each month (a journal posts a statement month by month).
    /// </summary>
    public Dictionary<string, Dictionary<(string Council, DateOnly Month), decimal>> PaidMonthly { get; }
        = new(StringComparer.Ordinal);

    /// <summary>Agreed agreements in force by the period's last month, with their shares, in id order.</summary>
    public List<SplitAgreement> Agreements { get; } = [];

    /// <summary>The latest return per service, driver and month.</summary>
    public Dictionary<(string Service, string Driver, DateOnly Month), Dictionary<string, decimal>> Activity { get; }
        = [];

    public List<MonthClose> Closes { get; } = [];

    /// <summary>
    /// For a statement: by service, what the council was invoiced, paid and still owes (see InvoiceFigures).
    /// </summary>
    public Dictionary<string, InvoicedFigures> Invoiced { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Reads a ledger in one round trip: one <see cref="NpgsqlBatch"/> of plain SQL read by hand. Before, the same reads
/// were up to eight sequential EF Core queries, and the statement's time went on waiting for them and on materialising
/// their rows, not in PostgreSQL. Each statement of the batch finds the services itself (the council's, then every
/// support service that can reach them over agreed support agreements, by a recursive CTE), since statements of one
/// batch cannot pass results to each other; that re-reads a few pages of <c>split_agreements</c> per statement.
/// </summary>
internal static class LedgerBatch
{
    private const string Agreed = AgreementStatus.Agreed;

    // $1 the services (text[]) or the council (text), $2 the period's last month, $3 its first month, $4 a proposal's
    // driver.
    private const string Reach = $"""
        reach(code) as (
            select code from wanted
            union
            select a.service_code::text from split_agreements a join reach r on r.code = any(a.supports)
            where a.status = '{Agreed}' and a.effective_from <= $2 and cardinality(a.supports) > 0)
        """;

    private const string ListedServices = $"with recursive wanted(code) as (select unnest($1::text[])), {Reach}";

    private const string CouncilServices =
        $"with recursive wanted(code) as (select service_code::text from service_members where council = $1), {Reach}";

    /// <summary>Zero rows: no such council; one row with a null service: a council in no service.</summary>
    private const string CouncilSql =
        "select m.service_code from councils c left join service_members m on m.council = c.code where c.code = $1";

    private const string NamesSql =
        "select code, name, host_council, start_month, end_month from shared_services where code = any(array(select "
            + "code from reach))";

    private const string TotalsSql =
        "select service_code, month, paid_by, amount from cost_totals where service_code = any(array(select code from "
            + "reach)) and month between $3 and $2";

    // Ordered as EF Core ordered its include (agreement, then share), so rules and tie-breaks see the same order.
    private const string AgreementsSql = $"""
        select a.id, a.service_code, a.effective_from, a.method, a.driver, a.councils, a.supports, a.support_percents,
               a.agreed_at, s.council, s.percent
        from split_agreements a left join agreement_share s on s.agreement_id = a.id
        where a.service_code = any(array(select code from reach)) and a.status = '{Agreed}' and a.effective_from <= $2
        order by a.id, s.council
        """;

    // Only drivers an agreement (or the proposal) uses, as an array so the (service, driver, month, id) index is used.
    private const string ActivitySql = $"""
        select distinct on (r.service_code, r.driver, r.month) r.service_code, r.driver, r.month, r.quantities
        from activity_returns r
        where r.service_code = any(array(select code from reach)) and r.month between $3 and $2
          and r.driver = any(array(
              select a.driver::text from split_agreements a
              where a.service_code = any(array(select code from reach)) and a.status = '{Agreed}'
                and a.effective_from <= $2
                and a.driver is not null
              union select $4))
        order by r.service_code, r.driver, r.month, r.id desc
        """;

    private const string ClosesSql =
        "select service_code, month, closed_at, service_name from closed_months where service_code = any(array(select "
            + "code from wanted)) and month between $3 and $2";

    private static readonly Statements Listed = new(ListedServices), OfCouncil = new(CouncilServices);

    /// <summary>
    /// Sends the batch on the context's connection (and in its transaction, if any), retried as a whole by the
    /// context's execution strategy on a transient failure, as EF Core retries its own queries.
    /// </summary>
    public static Task<LedgerRows> ReadAsync(
        ApportionmentDb db,
        LedgerScope scope,
        Period period,
        string? proposalDriver,
        CancellationToken ct) =>
        db.Database.CreateExecutionStrategy()
            .ExecuteAsync((db, scope, period, proposalDriver), static async (state, ct) =>
                {
                    var (db, scope, period, driver) = state;
                    await db.Database.OpenConnectionAsync(ct);
                    try
                    {
                        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
                        await using var batch = Batch(
                    connection,
                    db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction,
                    scope,
                    period,
                    driver);
                        await using var reader = await batch.ExecuteReaderAsync(ct);
                        return await ReadRowsAsync(reader, scope, ct);
                    }
                    finally
                    {
                        await db.Database.CloseConnectionAsync();
                    }
                }, ct);

    private static NpgsqlBatch Batch(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        LedgerScope scope,
        Period period,
        string? driver)
    {
        var batch = new NpgsqlBatch(connection, transaction);
        var sql = scope.Council is null ? Listed : OfCouncil;
        if (scope.Council is not null)
        {
            Add(CouncilSql, withPeriod: false);
        }

        Add(sql.Names);
        Add(sql.Totals);
        Add(sql.Agreements);
        Add(sql.Activity).Parameters
            .Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)driver ?? DBNull.Value });
        if (scope.Closes)
        {
            Add(sql.Closes);
        }

        if (scope.Closes && scope.Council is not null)
        {
            Add(InvoiceFigures.CouncilSql);
        }

        return batch;

        // A parameter belongs to one command, so each command gets its own.
        NpgsqlBatchCommand Add(string text, bool withPeriod = true)
        {
            var command = new NpgsqlBatchCommand(text);
            command.Parameters.Add(scope.Council is { } council
                ? new NpgsqlParameter<string> { TypedValue = council }
                : new NpgsqlParameter<string[]> { TypedValue = [.. scope.Services] });
            if (withPeriod)
            {
                command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = period.Last.FirstDay });
                command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = period.First.FirstDay });
            }

            batch.BatchCommands.Add(command);
            return command;
        }
    }

    private static async Task<LedgerRows> ReadRowsAsync(
        NpgsqlDataReader reader,
        LedgerScope scope,
        CancellationToken ct)
    {
        var rows = new LedgerRows();
        int[] c;
        if (scope.Council is not null)
        {
            rows.CouncilExists = false;
            c = Ordinals(reader, "service_code");
            while (await reader.ReadAsync(ct))
            {
                rows.CouncilExists = true;
                if (!reader.IsDBNull(c[0]))
                {
                    rows.Wanted.Add(reader.GetString(c[0]));
                }
            }

            await reader.NextResultAsync(ct);
        }
        else
        {
            rows.Wanted.UnionWith(scope.Services);
        }

        c = Ordinals(reader, "code", "name", "host_council", "start_month", "end_month");
        while (await reader.ReadAsync(ct))
        {
            rows.Names.Add(new ServiceName(
                reader.GetString(c[0]),
                reader.GetString(c[1]),
                reader.GetString(c[2]),
                reader.GetFieldValue<DateOnly>(c[3]),
                reader.IsDBNull(c[4]) ? null : reader.GetFieldValue<DateOnly>(c[4])));
        }

        await reader.NextResultAsync(ct);
        c = Ordinals(reader, "service_code", "month", "paid_by", "amount");
        while (await reader.ReadAsync(ct))
        {
            var (service, month, paidBy, amount) = (reader.GetString(c[0]), reader.GetFieldValue<DateOnly>(c[1]), reader
                .GetString(c[2]), reader.GetDecimal(c[3]));
            // Started from 0m as Enumerable.Sum starts, so each sum has the same scale as before (it shows in CSV).
            rows.Costs[(service, month)] = rows.Costs.GetValueOrDefault((service, month)) + amount;
            if (!rows.Paid.TryGetValue(service, out var paid))
            {
                rows.Paid[service] = paid = new Dictionary<string, decimal>(StringComparer.Ordinal);
            }

            paid[paidBy] = paid.GetValueOrDefault(paidBy) + amount;
            if (!rows.PaidMonthly.TryGetValue(service, out var monthly))
            {
                rows.PaidMonthly[service] = monthly = [];
            }

            monthly[(paidBy, month)] = monthly.GetValueOrDefault((paidBy, month)) + amount;
        }

        await reader.NextResultAsync(ct);
        await ReadAgreementsAsync(reader, rows.Agreements, ct);

        await reader.NextResultAsync(ct);
        c = Ordinals(reader, "service_code", "driver", "month", "quantities");
        while (await reader.ReadAsync(ct))
        {
            rows.Activity[(reader.GetString(c[0]), reader.GetString(c[1]), reader.GetFieldValue<DateOnly>(c[2]))]
                = reader.GetFieldValue<Dictionary<string, decimal>>(c[3]);
        }

        if (scope.Closes)
        {
            await reader.NextResultAsync(ct);
            c = Ordinals(reader, "service_code", "month", "closed_at", "service_name");
            while (await reader.ReadAsync(ct))
            {
                rows.Closes.Add(new MonthClose(
                    reader.GetString(c[0]),
                    reader.GetFieldValue<DateOnly>(c[1]),
                    reader.GetFieldValue<DateTimeOffset>(c[2]),
                    reader.IsDBNull(c[3]) ? null : reader.GetString(c[3])));
            }
        }

        if (scope.Closes && scope.Council is not null)
        {
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var (onAccount, paid, gross) = (reader.GetDecimal(1), reader.GetDecimal(2), reader.GetDecimal(3));
                rows.Invoiced[reader.GetString(0)] = new InvoicedFigures(onAccount, paid, gross - paid);
            }
        }

        return rows;
    }

    /// <summary>
    /// One row per share (or one without shares), agreements in id order: a new id starts a new agreement.
    /// </summary>
    private static async Task ReadAgreementsAsync(
        NpgsqlDataReader reader,
        List<SplitAgreement> agreements,
        CancellationToken ct)
    {
        var c = Ordinals(
            reader,
            "id",
            "service_code",
            "effective_from",
            "method",
            "driver",
            "councils",
            "supports",
            "support_percents",
            "agreed_at",
            "council",
            "percent");
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetGuid(c[0]);
            if (agreements.Count == 0 || agreements[^1].Id != id)
            {
                agreements.Add(new SplitAgreement
                {
                    Id = id,
                    ServiceCode = reader.GetString(c[1]),
                    EffectiveFrom = reader.GetFieldValue<DateOnly>(c[2]),
                    Method = reader.GetString(c[3]),
                    Driver = reader.IsDBNull(c[4]) ? null : reader.GetString(c[4]),
                    Councils = reader.GetFieldValue<string[]>(c[5]),
                    Supports = reader.GetFieldValue<string[]>(c[6]),
                    SupportPercents = reader.IsDBNull(c[7])
                        ? null
                        : reader.GetFieldValue<Dictionary<string, decimal>>(c[7]),
                    AgreedAt = reader.IsDBNull(c[8]) ? null : reader.GetFieldValue<DateTimeOffset>(c[8]),
                    Status = AgreementStatus.Agreed,
                });
            }

            if (!reader.IsDBNull(c[9]))
            {
                agreements[^1].Shares.Add(new AgreementShare
                {
                    AgreementId = id,
                    Council = reader.GetString(c[9]),
                    Percent = reader.GetDecimal(c[10])
                });
            }
        }
    }

    /// <summary>Columns are read by name: the ordinals of a result set's columns, found once per result set.</summary>
    private static int[] Ordinals(NpgsqlDataReader reader, params string[] names)
        => [.. names.Select(reader.GetOrdinal)];

    /// <summary>The statements' texts for one way of finding the services, built once.</summary>
    private sealed class Statements(string services)
    {
        public string Names { get; } = $"{services} {NamesSql}";

        public string Totals { get; } = $"{services} {TotalsSql}";

        public string Agreements { get; } = $"{services} {AgreementsSql}";

        public string Activity { get; } = $"{services} {ActivitySql}";

        public string Closes { get; } = $"{services} {ClosesSql}";
    }
}
