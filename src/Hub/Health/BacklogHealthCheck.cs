using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ProductHub.Hub.Ops;
using Wolverine.Runtime;

namespace ProductHub.Hub.Health;

/// <summary>
/// Dead letters over <c>ProductHub:Ops:DeadLetterThreshold</c> (default 0), or a webhook subscription more than
/// <c>ProductHub:Ops:SubscriptionLagThreshold</c> events behind (default 1000), make the hub Degraded: it still
/// serves, but someone has to look. The figures are in the check's data. Read fresh, not from the gauges' sample,
/// so a replay that cleared the dead letters shows at once.
/// </summary>
public sealed class BacklogHealthCheck(IDocumentStore store, IWolverineRuntime wolverine, IOptions<OpsOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var backlog = await Backlog.ReadAsync(session, wolverine, ct);
        var limits = options.Value;
        var deadLetters = backlog.DeadLetteredDeliveries + backlog.DeadLetters;
        var data = new Dictionary<string, object>
        {
            ["deadLetteredDeliveries"] = backlog.DeadLetteredDeliveries,
            ["deadLetters"] = backlog.DeadLetters,
            ["deadLetterThreshold"] = limits.DeadLetterThreshold,
            ["subscriptionLag"] = backlog.SubscriptionLag,
            ["subscriptionLagThreshold"] = limits.SubscriptionLagThreshold,
            ["outbox"] = backlog.Outbox,
            ["pendingDeliveries"] = backlog.PendingDeliveries,
        };
        var problems = new List<string>();
        if (deadLetters > limits.DeadLetterThreshold)
            problems.Add($"{deadLetters} dead letters ({backlog.DeadLetteredDeliveries} deliveries, {backlog.DeadLetters} messages) over the threshold of {limits.DeadLetterThreshold}");
        foreach (var (subscription, lag) in backlog.SubscriptionLag.Where(l => l.Value > limits.SubscriptionLagThreshold))
            problems.Add($"webhook {subscription} is {lag} events behind, over the threshold of {limits.SubscriptionLagThreshold}");
        return problems.Count == 0
            ? HealthCheckResult.Healthy(data: data)
            : HealthCheckResult.Degraded(string.Join("; ", problems), data: data);
    }
}
