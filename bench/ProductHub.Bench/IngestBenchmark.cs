using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using ProductHub.Hub;
using ProductHub.Hub.Parts.Releasing;
using ProductHub.Projections.Units;

namespace ProductHub.Bench;

/// <summary>
/// Release intake, in events per second: the hub's HTTP endpoint with packages of realistic size, the same
/// endpoint with the largest packages (one transaction each: the fastest bulk path the hub offers), and, as the
/// baseline, Npgsql binary COPY of the same events, serialised the same way, into a plain table.
/// </summary>
public static class IngestBenchmark
{
    public static readonly JsonSerializerOptions Json = ProductHub.Hub.Api.HubJson.Create();

    /// <summary>The events the hub records for these packages, decided by the hub's own pure release decision.</summary>
    public static List<(string Stream, object Event)> EventsOf(IReadOnlyList<ReleasePackage> packages, Instant now)
    {
        var allUnits = packages.SelectMany(p => p.Parts).ToDictionary(p => p.PartNumber, p => p.Unit);
        var context = new ReleaseContext(
            new Dictionary<string, Hub.Parts.Part>(), allUnits, new Dictionary<string, IReadOnlyCollection<string>>(), new UnitCatalog([]),
            new Dictionary<string, ProductHub.Domain.Documents.Document>());
        var events = new List<(string, object)>();
        foreach (var package in packages)
        {
            var decision = ReleaseDecision.Decide(package, context, now);
            if (decision.IsRejected) throw new InvalidOperationException($"The generated package {package.PackageId} is invalid: {string.Join("; ", decision.Rejections.SelectMany(r => r.Value))}");
            events.AddRange(decision.Outcomes.SelectMany(o => o.Events.Select(e => (o.PartNumber, e))));
        }
        return events;
    }

    /// <summary>Binary COPY into a plain table shaped like Marten's mt_events; serialisation is inside the timing, as in the hub.</summary>
    public static async Task<(long Events, TimeSpan Elapsed)> CopyAsync(string connectionString, List<(string Stream, object Event)> events)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("""
            DROP TABLE IF EXISTS bench_copy_events;
            CREATE TABLE bench_copy_events (
              seq_id bigserial PRIMARY KEY, id uuid NOT NULL, stream_id varchar NOT NULL, version integer NOT NULL,
              type varchar NOT NULL, data jsonb NOT NULL, timestamp timestamptz NOT NULL DEFAULT now(),
              correlation_id varchar, causation_id varchar, user_name varchar);
            """, connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var versions = new Dictionary<string, int>(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY bench_copy_events (id, stream_id, version, type, data, correlation_id, causation_id, user_name) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (stream, e) in events)
            {
                var version = versions[stream] = versions.GetValueOrDefault(stream) + 1;
                await importer.StartRowAsync();
                await importer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await importer.WriteAsync(stream, NpgsqlDbType.Varchar);
                await importer.WriteAsync(version, NpgsqlDbType.Integer);
                await importer.WriteAsync(e.GetType().Name, NpgsqlDbType.Varchar);
                await importer.WriteAsync(JsonSerializer.Serialize(e, e.GetType(), Json), NpgsqlDbType.Jsonb);
                await importer.WriteAsync("bench", NpgsqlDbType.Varchar);
                await importer.WriteAsync("bench", NpgsqlDbType.Varchar);
                await importer.WriteAsync("plm-bench", NpgsqlDbType.Varchar);
            }
            await importer.CompleteAsync();
        }
        return (events.Count, watch.Elapsed);
    }

    /// <summary>Posts the packages one after another (a PLM sends its releases in order) and sums the events the hub reports.</summary>
    public static async Task<(long Events, TimeSpan Elapsed, HdrHistogram.LongHistogram Requests)> PostAsync(
        HttpClient client, IReadOnlyList<ReleasePackage> packages)
    {
        var bodies = packages.Select(p => JsonSerializer.SerializeToUtf8Bytes(p, Json)).ToList();
        var requests = Report.NewHistogram();
        long events = 0;
        var watch = Stopwatch.StartNew();
        foreach (var body in bodies)
        {
            var started = Stopwatch.GetTimestamp();
            var answer = await ReleaseAsync(client, body);
            requests.RecordValue((long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            events += answer["eventCount"]!.GetValue<long>();
        }
        return (events, watch.Elapsed, requests);
    }

    public static async Task<JsonNode> ReleaseAsync(HttpClient client, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync("/api/v1/releases", content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Release answered {(int)response.StatusCode}: {text[..Math.Min(text.Length, 2000)]}");
        return JsonNode.Parse(text)!;
    }
}
