using Alba;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ProductHub.Hub;

namespace ProductHub.Tests.Support;

/// <summary>
/// Events no intake of today would accept, stored the way older versions or a damaged database left them: as
/// rows of <c>mt_events</c>, past Marten's serializer and the inline projections, on an existing stream.
/// </summary>
public static class HostileEvents
{
    /// <summary>A JSON object nested <paramref name="levels"/> deep, counting itself: <c>{"a":{"a":{}}}</c> is 3.</summary>
    public static string Nested(int levels) =>
        string.Concat(Enumerable.Repeat("{\"a\":", levels - 1)) + "{}" + new string('}', levels - 1);

    /// <summary>A status event's data with these raw JSON details.</summary>
    public static string StatusData(string eventId, string partNumber, string revision, string plantCode, string detailsJson) =>
        $$"""
          {"eventId":"{{eventId}}","source":"mes","plantCode":"{{plantCode}}","partNumber":"{{partNumber}}","revision":"{{revision}}",
           "occurredAt":"2026-03-02T06:15:00Z","details":{{detailsJson}},"recordedAt":"2026-03-02T06:16:00Z"}
          """;

    /// <summary>Appends one event of <typeparamref name="T"/> with this raw data to an existing stream; answers its position.</summary>
    public static async Task<long> AppendRawAsync<T>(IAlbaHost host, string stream, string dataJson)
    {
        var alias = ((JasperFx.Events.EventRegistry)host.Services.GetRequiredService<IDocumentStore>().Options.Events)
            .EventMappingFor(typeof(T)).EventTypeName;
        var connectionString = host.Services.GetRequiredService<IConfiguration>().GetConnectionString(HubHost.ConnectionStringName)!;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            WITH s AS (UPDATE producthub.mt_streams SET version = version + 1 WHERE id = @stream RETURNING version)
            INSERT INTO producthub.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived)
            SELECT nextval('producthub.mt_events_sequence'), gen_random_uuid(), @stream, s.version, @data::jsonb, @type, now(), '*DEFAULT*', @clr, false
            FROM s
            RETURNING seq_id
            """, connection);
        command.Parameters.AddWithValue("stream", stream);
        command.Parameters.AddWithValue("data", dataJson);
        command.Parameters.AddWithValue("type", alias);
        command.Parameters.AddWithValue("clr", $"{typeof(T).FullName}, {typeof(T).Assembly.GetName().Name}");
        return (long)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"No stream {stream}"));
    }
}
