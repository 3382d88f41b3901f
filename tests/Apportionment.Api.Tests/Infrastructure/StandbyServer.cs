using Npgsql;

namespace Apportionment.Api.Tests.Infrastructure;

/// <summary>
/// The streaming standby of the test server: APPORTIONMENT_TEST_DB_STANDBY, started by scripts/test.sh (or
/// scripts/lib/postgres.sh's pg_start_standby) beside APPORTIONMENT_TEST_DB. Every database a test class creates on the
/// primary reaches it by replication.
/// </summary>
public static class StandbyServer
{
    public const string Variable = "APPORTIONMENT_TEST_DB_STANDBY";

    /// <summary>
    /// The standby's connection string for the database of <paramref name="primaryConnectionString"/>.
    /// </summary>
    public static string For(string primaryConnectionString)
    {
        var standby = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(standby))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set: run these tests through scripts/test.sh, which starts a streaming standby "
                    + "beside the " +
                "test server, or start one with scripts/lib/postgres.sh (pg_start_standby) and export it.");
        }

        return new NpgsqlConnectionStringBuilder(standby)
        {
            Database = new NpgsqlConnectionStringBuilder(primaryConnectionString).Database
        }.ConnectionString;
    }

    /// <summary>Waits (up to 30 s) until the standby has replayed everything the primary has written so far.</summary>
    public static async Task CatchUpAsync(string primaryConnectionString)
    {
        var position = await ScalarAsync<string>(primaryConnectionString, "select pg_current_wal_insert_lsn()::text");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await ScalarAsync<bool>(
            Maintenance(),
            "select coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false)",
            position))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The standby did not replay {position} within 30 s.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Stops the standby applying WAL (it keeps receiving it), as a standby lagging behind would.</summary>
    public static async Task PauseReplayAsync()
    {
        await ScalarAsync<object>(Maintenance(), "select pg_wal_replay_pause()");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await ScalarAsync<string>(Maintenance(), "select pg_get_wal_replay_pause_state()") != "paused"
            && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    public static Task ResumeReplayAsync() => ScalarAsync<object>(Maintenance(), "select pg_wal_replay_resume()");

    private static string Maintenance()
        => new NpgsqlConnectionStringBuilder(For("Database=postgres")) { Pooling = false }.ConnectionString;

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql, object? parameter = null)
    {
        await using var connection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }
}
