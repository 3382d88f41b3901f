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

    /// <summary>For a statement: each service read as code=version (see ledger_versions.sql).</summary>
    public List<string> Versions { get; } = [];
}

/// <summary>
/// Reads a ledger in one round trip and one statement: the database function <c>ledger_rows</c>
/// (Infrastructure/Persistence/Sql/ledger_rows.sql) walks the support closure once (the services asked for and every
/// support service that can reach them over agreed support agreements) and returns every part of the read as one
/// result set of tagged rows, read here by hand. Before, a batch of six statements each walked the closure again,
/// since statements of one batch cannot pass results to each other.
/// </summary>
internal static class LedgerBatch
{
    // $1 the services (null for a council), $2 the council, $3 the period's first month, $4 its last month,
    // $5 a proposal's driver, $6 with the closed months (and, for a council, its invoices received).
    private const string Sql = "select * from ledger_rows($1, $2, $3, $4, $5, $6)";

    /// <summary>
    /// Sends the statement on the context's connection (and in its transaction, if any), retried as a whole by the
    /// context's execution strategy on a transient failure, as EF Core retries its own queries.
    /// </summary>
    public static Task<LedgerRows> ReadAsync(
        ApportionmentDb db,
        LedgerScope scope,
        Period period,
        string? proposalDriver,
        CancellationToken ct) =>
        OnConnectionAsync(db, async (connection, transaction, ct) =>
        {
            await using var command = Command(connection, transaction, scope, period, proposalDriver);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await ReadRowsAsync(reader, scope, ct);
        }, ct);

    /// <summary>
    /// The council's services now and the current version of each service listed (see ledger_versions.sql): what a
    /// kept statement is checked against before it is answered again.
    /// </summary>
    public static Task<LedgerStamp> StampAsync(
        ApportionmentDb db,
        string council,
        IReadOnlyCollection<string> services,
        CancellationToken ct) =>
        OnConnectionAsync(db, async (connection, transaction, ct) =>
        {
            await using var command = new NpgsqlCommand(
                "select members, versions from ledger_stamp($1, $2)", connection, transaction)
            {
                Parameters =
                {
                    new NpgsqlParameter<string> { TypedValue = council, NpgsqlDbType = NpgsqlDbType.Text },
                    new NpgsqlParameter<string[]>
                    {
                        TypedValue = [.. services], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
                    },
                },
            };
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return new LedgerStamp(
                reader.GetFieldValue<string[]>(0),
                services,
                reader.GetFieldValue<string[]>(1));
        }, ct);

    private static Task<T> OnConnectionAsync<T>(
        ApportionmentDb db,
        Func<NpgsqlConnection, NpgsqlTransaction?, CancellationToken, Task<T>> read,
        CancellationToken ct) =>
        db.Database.CreateExecutionStrategy()
            .ExecuteAsync((db, read), static async (state, ct) =>
                {
                    var (db, read) = state;
                    await db.Database.OpenConnectionAsync(ct);
                    try
                    {
                        return await read(
                            (NpgsqlConnection)db.Database.GetDbConnection(),
                            db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction,
                            ct);
                    }
                    finally
                    {
                        await db.Database.CloseConnectionAsync();
                    }
                }, ct);

    private static NpgsqlCommand Command(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        LedgerScope scope,
        Period period,
        string? driver) =>
        new(Sql, connection, transaction)
        {
            Parameters =
            {
                new NpgsqlParameter<string[]?>
                {
                    TypedValue = scope.Council is null ? [.. scope.Services] : null,
                    NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
                },
                new NpgsqlParameter<string?> { TypedValue = scope.Council, NpgsqlDbType = NpgsqlDbType.Text },
                new NpgsqlParameter<DateOnly> { TypedValue = period.First.FirstDay },
                new NpgsqlParameter<DateOnly> { TypedValue = period.Last.FirstDay },
                new NpgsqlParameter<string?> { TypedValue = driver, NpgsqlDbType = NpgsqlDbType.Text },
                new NpgsqlParameter<bool> { TypedValue = scope.Closes },
            },
        };

    /// <summary>The function's columns, in its order; each part uses some of them (see ledger_rows.sql).</summary>
    private enum Column
    {
        Part,
        Service,
        Month,
        Name,
        HostCouncil,
        EndMonth,
        Council,
        Amount,
        AgreementId,
        Method,
        Driver,
        Councils,
        Supports,
        SupportPercents,
        AgreedAt,
        Quantities,
        ClosedAt,
        Paid,
        Gross,
    }

    private static async Task<LedgerRows> ReadRowsAsync(
        NpgsqlDataReader reader,
        LedgerScope scope,
        CancellationToken ct)
    {
        var rows = new LedgerRows { CouncilExists = scope.Council is null };
        if (scope.Council is null)
        {
            rows.Wanted.UnionWith(scope.Services);
        }

        while (await reader.ReadAsync(ct))
        {
            var part = reader.GetString((int)Column.Part);
            switch (part)
            {
                case "member":
                    rows.CouncilExists = true;
                    if (!reader.IsDBNull((int)Column.Service))
                    {
                        rows.Wanted.Add(Text(reader, Column.Service));
                    }

                    break;
                case "service":
                    rows.Names.Add(new ServiceName(
                        Text(reader, Column.Service),
                        Text(reader, Column.Name),
                        Text(reader, Column.HostCouncil),
                        Date(reader, Column.Month),
                        reader.IsDBNull((int)Column.EndMonth) ? null : Date(reader, Column.EndMonth)));
                    break;
                case "total":
                    AddTotal(
                        rows,
                        Text(reader, Column.Service),
                        Date(reader, Column.Month),
                        Text(reader, Column.Council),
                        reader.GetDecimal((int)Column.Amount));
                    break;
                case "agreement":
                    AddAgreementRow(reader, rows.Agreements);
                    break;
                case "activity":
                    rows.Activity[(Text(reader, Column.Service), Text(reader, Column.Driver),
                            Date(reader, Column.Month))]
                        = reader.GetFieldValue<Dictionary<string, decimal>>((int)Column.Quantities);
                    break;
                case "close":
                    rows.Closes.Add(new MonthClose(
                        Text(reader, Column.Service),
                        Date(reader, Column.Month),
                        reader.GetFieldValue<DateTimeOffset>((int)Column.ClosedAt),
                        reader.IsDBNull((int)Column.Name) ? null : Text(reader, Column.Name)));
                    break;
                case "invoice":
                    var (onAccount, paid, gross) = (reader.GetDecimal((int)Column.Amount),
                        reader.GetDecimal((int)Column.Paid), reader.GetDecimal((int)Column.Gross));
                    rows.Invoiced[Text(reader, Column.Service)] = new InvoicedFigures(onAccount, paid, gross - paid);
                    break;
                case "version":
                    rows.Versions.Add(Text(reader, Column.Name));
                    break;
                default:
                    throw new InvalidOperationException($"ledger_rows returned a part not read here: {part}");
            }
        }

        return rows;
    }

    private static void AddTotal(LedgerRows rows, string service, DateOnly month, string paidBy, decimal amount)
    {
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

    /// <summary>One row per share (or one without shares), agreements in id order: a new id starts one.</summary>
    private static void AddAgreementRow(NpgsqlDataReader reader, List<SplitAgreement> agreements)
    {
        var id = reader.GetGuid((int)Column.AgreementId);
        if (agreements.Count == 0 || agreements[^1].Id != id)
        {
            agreements.Add(new SplitAgreement
            {
                Id = id,
                ServiceCode = Text(reader, Column.Service),
                EffectiveFrom = Date(reader, Column.Month),
                Method = Text(reader, Column.Method),
                Driver = reader.IsDBNull((int)Column.Driver) ? null : Text(reader, Column.Driver),
                Councils = reader.GetFieldValue<string[]>((int)Column.Councils),
                Supports = reader.GetFieldValue<string[]>((int)Column.Supports),
                SupportPercents = reader.IsDBNull((int)Column.SupportPercents)
                    ? null
                    : reader.GetFieldValue<Dictionary<string, decimal>>((int)Column.SupportPercents),
                AgreedAt = reader.IsDBNull((int)Column.AgreedAt)
                    ? null
                    : reader.GetFieldValue<DateTimeOffset>((int)Column.AgreedAt),
                Status = AgreementStatus.Agreed,
            });
        }

        if (!reader.IsDBNull((int)Column.Council))
        {
            agreements[^1].Shares.Add(new AgreementShare
            {
                AgreementId = id,
                Council = Text(reader, Column.Council),
                Percent = reader.GetDecimal((int)Column.Amount),
            });
        }
    }

    private static string Text(NpgsqlDataReader reader, Column column) => reader.GetString((int)column);

    private static DateOnly Date(NpgsqlDataReader reader, Column column) =>
        reader.GetFieldValue<DateOnly>((int)column);
}
