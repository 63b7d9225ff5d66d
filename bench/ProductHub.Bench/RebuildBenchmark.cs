using System.Diagnostics;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ProductHub.Hub;
using ProductHub.Projections.Parts;

namespace ProductHub.Bench;

/// <summary>
/// Rebuilds the canonical read models (part views and the where-used index) from the full event store with
/// Marten's projection daemon, configured exactly as the hub configures its store.
/// </summary>
public static class RebuildBenchmark
{
    public sealed record Result(long EventsInStore, TimeSpan PartViews, TimeSpan WhereUsed);

    public static async Task<Result> RunAsync(string connectionString)
    {
        // The hub's own composition, built but not started: only its document store is used.
        await using var app = HubHost.Build(["--ConnectionStrings:ProductHub=" + connectionString, "--urls", "http://127.0.0.1:0"]);
        var store = app.Services.GetRequiredService<IDocumentStore>();
        long events;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM producthub.mt_events", connection);
            events = (long)(await count.ExecuteScalarAsync())!;
        }

        using var daemon = await store.BuildProjectionDaemonAsync();
        var timeout = TimeSpan.FromMinutes(10);
        var watch = Stopwatch.StartNew();
        await daemon.RebuildProjectionAsync<PartView>(timeout, CancellationToken.None);
        var partViews = watch.Elapsed;
        watch.Restart();
        await daemon.RebuildProjectionAsync<WhereUsedProjection>(timeout, CancellationToken.None);
        return new Result(events, partViews, watch.Elapsed);
    }
}
