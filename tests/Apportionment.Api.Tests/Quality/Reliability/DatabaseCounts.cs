using Npgsql;

namespace Apportionment.Api.Tests.Quality.Reliability;

/// <summary>Exact row counts of every table of the app's schema: "nothing was written" made checkable.</summary>
public static class DatabaseCounts
{
    public static async Task<SortedDictionary<string, long>> AllAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("select table_name from information_schema.tables where table_schema "
            + "= 'public' and table_type = 'BASE TABLE' order by 1", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var sql = "select " + string.Join(", ", tables.Select(t => $"(select count(*) from \"{t}\")"));
        await using var count = new NpgsqlCommand(sql, connection);
        await using var row = await count.ExecuteReaderAsync();
        await row.ReadAsync();
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < tables.Count; i++)
        {
            counts[tables[i]] = row.GetInt64(i);
        }

        return counts;
    }
}
