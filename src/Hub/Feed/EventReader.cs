using System.Text.Json.Nodes;
using Marten;
using NodaTime;
using Npgsql;
using ProductHub.Domain;

namespace ProductHub.Hub.Feed;

/// <summary>One event as readers are given it, with the metadata the hub recorded with it.</summary>
public sealed record ServedEvent(
    long Position, string Stream, long Version, string Type, DateTimeOffset Timestamp, string? CorrelationId, string? CausationId,
    string? UserName, JsonNode? Headers, JsonNode Data);

/// <summary>
/// Reads events for the change feed, webhooks and part histories straight from <c>mt_events</c> rather than through
/// Marten's deserialisation: a stored event that cannot be read as its type must not take its neighbours with it.
/// What a reader may see is decided before any data is read (the type and the plant are columns and one JSON
/// field), so events outside a reader's selection never leave the database.
/// </summary>
public sealed class EventReader(IDocumentStore store, EventServing serving, WithheldEvents withheld)
{
    /// <summary>A page ends after the event that takes it past this size (at least one event is always served).</summary>
    public const int MaxPageBytes = 4 * 1024 * 1024;

    /// <summary>How many stored events one read looks at, at most, for a reader that is given few of them (an ERP).</summary>
    private const int MaxScanned = 10_000;

    /// <summary>Stored events are looked at in chunks of at least this many, however few a reader wants.</summary>
    private const int Chunk = 500;

    private sealed record Row(
        long Position, DateTimeOffset Timestamp, string Alias, string Stream, long Version, string? CorrelationId, string? CausationId,
        string? UserName, string? Headers, string? Plant, long Size);

    private string Events => $"{store.Options.Events.DatabaseSchemaName}.mt_events";

    /// <summary>
    /// Up to <paramref name="limit"/> events after a position (and up to <paramref name="until"/>), in order, and the
    /// position to read on from: past events the selection leaves out, never past one a reader could not be given yet.
    /// </summary>
    public async Task<(IReadOnlyList<ServedEvent> Events, long Next)> ReadAsync(
        long after, int limit, FeedSelection selection, Instant now, CancellationToken ct, long? until = null)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        var served = new List<ServedEvent>();
        var (next, bytes, scanned, chunk) = (after, 0L, 0, Math.Max(limit, Chunk));
        while (true)
        {
            var rows = await RowsAsync(connection, "e.seq_id > @after AND (@until::bigint IS NULL OR e.seq_id <= @until) ORDER BY e.seq_id LIMIT @limit",
                command =>
                {
                    command.Parameters.AddWithValue("after", next);
                    command.Parameters.Add(new NpgsqlParameter("until", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)until ?? DBNull.Value });
                    command.Parameters.AddWithValue("limit", chunk);
                }, ct);
            var safe = FeedWindow.Safe(rows.Select(r => (r.Position, Instant.FromDateTimeOffset(r.Timestamp))).ToList(), next, now);
            var chosen = new List<(Row, PublicEvent)>();
            var full = false;
            foreach (var row in rows.Take(safe))
            {
                if (Admitted(row, selection) is { } type)
                {
                    // One too large to be served is withheld: its placeholder is small.
                    var size = row.Size > EventServing.MaxEventBytes ? 0 : row.Size;
                    if (served.Count + chosen.Count == limit || (bytes > 0 && bytes + size > MaxPageBytes))
                    {
                        full = true;
                        break;
                    }
                    chosen.Add((row, type));
                    bytes += size;
                }
                next = row.Position;
            }
            served.AddRange(await ServeAsync(connection, chosen, ct));
            scanned += rows.Count;
            if (full || safe < rows.Count || rows.Count < chunk || scanned >= MaxScanned) return (served, next);
        }
    }

    /// <summary>Every event of one stream the selection admits, in order (a part's history).</summary>
    public async Task<IReadOnlyList<ServedEvent>> ReadStreamAsync(string stream, FeedSelection selection, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        var rows = await RowsAsync(connection, "e.stream_id = @stream ORDER BY e.version",
            command => command.Parameters.AddWithValue("stream", stream), ct);
        var chosen = new List<(Row, PublicEvent)>();
        foreach (var row in rows)
        {
            if (Admitted(row, selection) is { } type) chosen.Add((row, type));
        }
        return await ServeAsync(connection, chosen, ct);
    }

    private PublicEvent? Admitted(Row row, FeedSelection selection) =>
        serving.TypeOf(row.Alias) is { } type && selection.Admits(type, row.Plant) ? type : null;

    /// <summary>
    /// Everything about the events but their data. A plant event names its plant in its data, or, where it does not
    /// (a delivery's or an exception's later events), the first event of its stream does.
    /// </summary>
    private async Task<List<Row>> RowsAsync(NpgsqlConnection connection, string where, Action<NpgsqlCommand> parameters, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
             SELECT e.seq_id, e.timestamp, e.type, e.stream_id, e.version, e.correlation_id, e.causation_id, e.user_name, e.headers::text,
                    CASE WHEN e.type = ANY(@plantTypes) THEN coalesce(e.data ->> 'plantCode',
                        (SELECT f.data ->> 'plantCode' FROM {Events} f WHERE f.stream_id = e.stream_id AND f.version = 1)) END,
                    CASE WHEN e.type = ANY(@publicTypes) THEN octet_length(e.data::text) ELSE 0 END
             FROM {Events} e
             WHERE {where}
             """, connection);
        command.Parameters.AddWithValue("plantTypes", serving.PlantAliases);
        command.Parameters.AddWithValue("publicTypes", serving.Aliases);
        parameters(command);
        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new Row(
                reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                reader.GetInt64(4), Text(reader, 5), Text(reader, 6), Text(reader, 7), Text(reader, 8), Text(reader, 9), reader.GetInt64(10)));
        }
        return rows;
    }

    private static string? Text(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private async Task<IReadOnlyList<ServedEvent>> ServeAsync(NpgsqlConnection connection, IReadOnlyList<(Row Row, PublicEvent Type)> chosen, CancellationToken ct)
    {
        var data = await DataAsync(connection, [.. chosen.Where(c => c.Row.Size <= EventServing.MaxEventBytes).Select(c => c.Row.Position)], ct);
        var served = new List<ServedEvent>(chosen.Count);
        foreach (var (row, type) in chosen)
        {
            var (name, json, reason) = serving.Serve(type, data.GetValueOrDefault(row.Position), row.Size);
            if (reason is not null) await withheld.RecordAsync(row.Position, row.Stream, type.Name, reason, ct);
            served.Add(new ServedEvent(
                row.Position, row.Stream, row.Version, name, row.Timestamp, row.CorrelationId, row.CausationId,
                row.UserName, Headers(row.Headers), json));
        }
        return served;
    }

    private async Task<Dictionary<long, string>> DataAsync(NpgsqlConnection connection, long[] positions, CancellationToken ct)
    {
        var data = new Dictionary<long, string>(positions.Length);
        if (positions.Length == 0) return data;
        await using var command = new NpgsqlCommand($"SELECT seq_id, data::text FROM {Events} WHERE seq_id = ANY(@positions)", connection);
        command.Parameters.AddWithValue("positions", positions);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) data[reader.GetInt64(0)] = reader.GetString(1);
        return data;
    }

    /// <summary>Headers are the hub's own (the source system); ones that could not be served are left out rather than fail the event.</summary>
    private static JsonNode? Headers(string? stored) =>
        stored is null || ServedJson.TooDeep(stored) ? null : JsonNode.Parse(stored);
}
