using Marten;
using ProductHub.Projections.Webhooks;

namespace ProductHub.Hub.Webhooks;

/// <summary>
/// Runs one <see cref="WebhookPump"/> loop per subscription, each on its own: a subscriber that never answers holds
/// up its own subscription only, until its send times out. Subscriptions are looked up every interval; a loop ends
/// when its subscription is gone.
/// </summary>
public sealed class WebhookPumps(IDocumentStore store, WebhookPump pump, ILogger<WebhookPumps> logger, TimeSpan interval) : BackgroundService
{
    /// <summary>Written by the lookup loop only; a loop that ended (its subscription gone) is started again if it comes back.</summary>
    private readonly Dictionary<string, Task> _running = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(interval);
            do
            {
                try
                {
                    await using var query = store.QuerySession();
                    foreach (var id in await query.Query<WebhookView>().Select(w => w.Id).ToListAsync(stoppingToken))
                    {
                        if (!_running.TryGetValue(id, out var loop) || loop.IsCompleted)
                            _running[id] = Task.Run(() => PumpAsync(id, stoppingToken), CancellationToken.None);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not look up the webhook subscriptions; will try again");
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        finally
        {
            await Task.WhenAll(_running.Values);
        }
    }

    private async Task PumpAsync(string id, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                PumpRound round;
                try
                {
                    round = await pump.RunAsync(id, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Webhook {Webhook}: the round failed; will try again", id);
                    round = PumpRound.Idle;
                }
                if (round == PumpRound.Gone) return;
                // A busy subscription catches up at once; an idle one looks again after the interval.
                if (round == PumpRound.Idle) await Task.Delay(interval, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The hub is stopping.
        }
    }
}
