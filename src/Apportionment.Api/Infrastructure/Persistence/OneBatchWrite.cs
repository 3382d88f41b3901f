using Npgsql;
using NpgsqlTypes;

namespace Apportionment.Api.Infrastructure.Persistence;

/// <summary>
/// Saves a hot-path write (a posting, its audit event and its idempotency answer) as one <see cref="NpgsqlBatch"/>
/// of fixed statements, which Npgsql prepares on each pooled connection after their first uses (Max Auto Prepare), so
/// the write is one round trip with no SQL generated per call. PostgreSQL runs the batch as one implicit transaction.
/// A posting whose service was read from <see cref="ServiceCache"/> is preceded by the database's check that the
/// service still reads that way; when it does not, nothing is written and the caller is told to read it again.
/// The rows come from <see cref="PendingRows"/>; when anything else is to be saved, EF Core saves it all as before.
/// </summary>
public static class OneBatchWrite
{
    public const string ServiceChangedState = "AP412";

    private const string CheckService = "select ensure_posting_service_as_read($1, $2, $3)";

    private const string InsertPosting = "insert into cost_postings (id, service_code, month, amount, category, "
        + "paid_by, reference, description, posted_at, posted_by_key) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

    private const string InsertAudit = "insert into audit_events (at, key_id, key_name, person_name, council, "
        + "operation, entity, entity_id, body) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

    private const string InsertAnswer = "insert into idempotency_records (client_id, key, operation, request_hash, "
        + "response, created_at) values ($1, $2, $3, $4, $5, $6)";

    /// <summary>False when a service read from the cache had changed: nothing was written; it is forgotten.</summary>
    public static async Task<bool> SaveAsync(
        ApportionmentDb db,
        PendingRows pending,
        ServiceCache cache,
        CancellationToken ct)
    {
        var rows = pending.Rows;
        if (!rows.All(Writable) || db.ChangeTracker.HasChanges())
        {
            // Something this batch does not write (or added through EF Core): everything goes through EF Core.
            foreach (var row in rows)
            {
                db.Add(row);
            }

            await db.SaveChangesAsync(ct);
            return true;
        }

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection());
            foreach (var row in rows)
            {
                Add(batch, row);
            }

            await batch.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == ServiceChangedState)
        {
            foreach (var posting in rows.OfType<CostPosting>())
            {
                cache.Forget(posting.ServiceCode);
            }

            return false;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return true;
    }

    private static bool Writable(object row) =>
        row is CostPosting { ReversalOf: null, BatchId: null } or AuditEvent or IdempotencyRecord;

    private static void Add(NpgsqlBatch batch, object entity)
    {
        switch (entity)
        {
            case CostPosting p:
                batch.BatchCommands.Add(Command(CheckService, Text(p.ServiceCode), Text(p.PaidBy), Date(p.Month)));
                batch.BatchCommands.Add(Command(
                    InsertPosting,
                    new NpgsqlParameter<Guid> { TypedValue = p.Id },
                    Text(p.ServiceCode),
                    Date(p.Month),
                    new NpgsqlParameter<decimal> { TypedValue = p.Amount },
                    Text(p.Category),
                    Text(p.PaidBy),
                    Text(p.Reference),
                    Text(p.Description),
                    Time(p.PostedAt),
                    Uuid(p.PostedByKey)));
                break;
            case AuditEvent a:
                batch.BatchCommands.Add(Command(
                    InsertAudit,
                    Time(a.At),
                    Uuid(a.KeyId),
                    Text(a.KeyName),
                    Text(a.PersonName),
                    Text(a.Council),
                    Text(a.Operation),
                    Text(a.Entity),
                    Text(a.EntityId),
                    Json(a.Body)));
                break;
            case IdempotencyRecord r:
                batch.BatchCommands.Add(Command(
                    InsertAnswer,
                    Text(r.ClientId),
                    Text(r.Key),
                    Text(r.Operation),
                    Text(r.RequestHash),
                    Json(r.Response),
                    Time(r.CreatedAt)));
                break;
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Text(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Json(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Uuid(Guid? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Uuid, Value = value is { } v ? v : DBNull.Value };

    private static NpgsqlParameter<DateOnly> Date(DateOnly value) => new() { TypedValue = value };

    private static NpgsqlParameter<DateTimeOffset> Time(DateTimeOffset value) => new() { TypedValue = value };
}
