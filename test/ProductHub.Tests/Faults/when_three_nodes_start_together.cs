using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ProductHub.Tests.Support;
using Xunit.Abstractions;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Faults;

/// <summary>
/// A first deployment of several nodes: three hub processes started at the same moment on one fresh, empty
/// database must all come up (their schema work is serialised, not raced), and each serves what any other stored.
/// </summary>
// In the shared hub's collection: it needs the test cluster for its own database.
[Collection(HubCollection.Name)]
public sealed class when_three_nodes_start_together(ITestOutputHelper output)
{
    private const int Nodes = 3;

    private static readonly Dictionary<string, string> Cluster = new() { ["ProductHub__Cluster__Nodes"] = $"{Nodes}" };

    [Fact]
    public async Task all_come_up_on_a_fresh_database_and_serve_what_the_others_stored()
    {
        var connectionString = await OwnDatabase.CreateAsync();
        var clock = Stopwatch.StartNew();
        // Each start launches its process before its first await: the three begin within milliseconds. They come up
        // one after another, so the last may take three starts' time on a busy machine.
        var starting = Enumerable.Range(0, Nodes).Select(_ => Ready(HubProcess.StartAsync(connectionString, Cluster, readySeconds: 300))).ToList();
        var started = await Task.WhenAll(starting);
        try
        {
            var each = started.Select(s => s.Hub is null ? "failed" : $"ready after {s.Elapsed.TotalSeconds:F1} s");
            output.WriteLine($"{Nodes} nodes started together on an empty database: {string.Join(", ", each)}, " +
                             $"all within {clock.Elapsed.TotalSeconds:F1} s");
            started.Where(s => s.Hub is null).Select(s => s.Failure).ShouldBeEmpty();

            var nodes = started.Select(s => s.Hub!).ToList();
            for (var i = 0; i < Nodes; i++)
            {
                var release = await nodes[i].Client.PostAsJsonAsync("/api/v1/releases",
                    Package($"REL-NODE-{i}", "2026-01-10T08:00:00Z", Part($"PN-NODE-{i}", "A", "2026-01-10")));
                release.StatusCode.ShouldBe(HttpStatusCode.Created, await release.Content.ReadAsStringAsync());
            }
            foreach (var node in nodes)
            {
                for (var i = 0; i < Nodes; i++)
                {
                    var part = await node.Client.GetFromJsonAsync<JsonObject>($"/api/v1/parts/PN-NODE-{i}");
                    part!["partNumber"]!.GetValue<string>().ShouldBe($"PN-NODE-{i}");
                }
            }
        }
        finally
        {
            foreach (var hub in started.Select(s => s.Hub).OfType<HubProcess>()) await hub.DisposeAsync();
        }

        async Task<(HubProcess? Hub, TimeSpan Elapsed, string? Failure)> Ready(Task<HubProcess> start)
        {
            try { return (await start, clock.Elapsed, null); }
            catch (TimeoutException e) { return (null, clock.Elapsed, e.Message); }
        }
    }
}
