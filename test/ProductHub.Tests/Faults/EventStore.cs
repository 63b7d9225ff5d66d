using Alba;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ProductHub.Hub;

namespace ProductHub.Tests.Faults;

/// <summary>What the fault tests compare: the events as stored, read straight from the database the hub writes.</summary>
public static class EventStore
{
    public sealed record Fingerprint(long Events, string Hash);

    /// <summary>The database an in-process hub writes to.</summary>
    public static string ConnectionStringOf(IAlbaHost host) =>
        host.Services.GetRequiredService<IConfiguration>().GetConnectionString(HubHost.ConnectionStringName)!;

    /// <summary>The number of events and a hash over each one's sequence, stream, type and data, in order.</summary>
    public static async Task<Fingerprint> FingerprintAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT count(*), coalesce(md5(string_agg(seq_id || '|' || stream_id || '|' || type || '|' || data::text, E'\n' ORDER BY seq_id)), '')
            FROM producthub.mt_events
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Fingerprint(reader.GetInt64(0), reader.GetString(1));
    }

    /// <summary>How many events of one type (Marten's snake-case name) are stored, in one stream or in all.</summary>
    public static async Task<long> CountAsync(string connectionString, string type, string? streamId = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM producthub.mt_events WHERE type = @type AND (@stream::text IS NULL OR stream_id = @stream)", connection);
        command.Parameters.AddWithValue("type", type);
        command.Parameters.Add(new NpgsqlParameter("stream", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)streamId ?? DBNull.Value });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
