using Npgsql;

namespace ProductHub.Tests.Support;

/// <summary>A search of the raw database, outside the hub: what a backup, a replica or anyone with SQL access would find.</summary>
public static class DatabaseSearch
{
    /// <summary>Every table (events, documents, queues, dead letters, in any schema) with a row that holds the text.</summary>
    public static async Task<List<string>> TablesHoldingAsync(string connectionString, string text)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables " +
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        tables.ShouldContain("producthub.mt_events");
        var holding = new List<string>();
        foreach (var table in tables)
        {
            // Message bodies are bytea, which reads as hex.
            await using var count = new NpgsqlCommand(
                $"SELECT count(*) FROM {table} t WHERE strpos(lower(t::text), lower(@text)) > 0 OR strpos(t::text, @hex) > 0", connection);
            count.Parameters.AddWithValue("text", text);
            count.Parameters.AddWithValue("hex", Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(text)));
            if ((long)(await count.ExecuteScalarAsync())! > 0) holding.Add(table);
        }
        return holding;
    }
}
