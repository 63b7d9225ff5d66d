using Marten;
using ProductHub.Hub.Ops;
using Wolverine.Runtime;

namespace ProductHub.Hub.Observability;

/// <summary>
/// Takes the backlog every <c>ProductHub:Ops:SampleInterval</c> (default 5 s) for the meter's gauges, so a
/// Prometheus scrape (or several scrapers) never reaches the database.
/// </summary>
public sealed class BacklogSampler(
    IDocumentStore store, IWolverineRuntime wolverine, HubMetrics metrics, ILogger<BacklogSampler> logger, TimeSpan interval)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var session = store.QuerySession();
                metrics.Sampled(await Backlog.ReadAsync(session, wolverine, stoppingToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not sample the backlog; the gauges keep the last figures");
            }
        }
    }
}
