using Marten;
using Npgsql;
using ProductHub.Hub.Infrastructure;
using ProductHub.Projections.Parts;

namespace ProductHub.Hub.Parts.Querying;

/// <summary>
/// When a part's document was last written: its version (Marten keeps the snapshot's stream version there) and the
/// time of the write. The time tells apart two documents of the same part and version written by different streams,
/// such as after the data was reset and the part released again.
/// </summary>
public readonly record struct PartStamp(long Version, DateTime Modified)
{
    /// <summary>The stamp of each part's document; parts with no document are absent. One query.</summary>
    public static async Task<Dictionary<string, PartStamp>> ReadAsync(
        IQuerySession session, IEnumerable<string> partNumbers, CancellationToken ct)
    {
        var stamps = new Dictionary<string, PartStamp>(StringComparer.Ordinal);
        var ids = partNumbers.ToArray();
        if (ids.Length == 0) return stamps;
        var table = DocumentTables.Of<PartView>(session);
        // On a connection of its own: Marten's raw SQL maps documents, not a plain (text, bigint, timestamptz) row.
        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"SELECT id, mt_version, mt_last_modified FROM {table} WHERE id = ANY(@ids)", connection);
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) stamps[reader.GetString(0)] = new PartStamp(reader.GetInt64(1), reader.GetDateTime(2));
        return stamps;
    }
}
