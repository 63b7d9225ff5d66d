using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Wolverine.Kafka.Internals;
using Wolverine.Runtime;
using Wolverine.Transports;

namespace ProductHub.Hub.Health;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: the database answers, and each message
/// transport that can tell (Kafka) reaches its broker. A broker down makes the hub <c>Degraded</c>, not
/// unhealthy: it keeps serving, and what it cannot send waits in the outbox. So do dead letters or a webhook
/// subscription lagging beyond their thresholds (see <see cref="BacklogHealthCheck"/>).
/// </summary>
public static class HealthChecks
{
    private const string Ready = "ready";

    public static IServiceCollection AddHubHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready])
            .AddCheck<TransportsHealthCheck>("transports", tags: [Ready])
            .AddCheck<BacklogHealthCheck>("backlog", tags: [Ready])
            .AddCheck<NodeHealthCheck>("node", tags: [Ready]);
        return services;
    }

    public static void MapHubHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync }).AllowAnonymous();
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data,
            }),
        }));
    }

    private sealed class DatabaseHealthCheck(IDocumentStore store) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            try
            {
                await using var session = store.QuerySession();
                await session.QueryAsync<int>("select 1", ct);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e)
            {
                return HealthCheckResult.Unhealthy($"PostgreSQL does not answer: {e.Message}");
            }
        }
    }

    /// <summary>
    /// Which node answered, in the numbers Wolverine's tables use (<c>wolverine_nodes</c>, the owners of stored
    /// messages), and how it shares work: behind a load balancer, an operator can tell the nodes apart and see that
    /// each runs the cluster's durability mode.
    /// </summary>
    private sealed class NodeHealthCheck(IWolverineRuntime runtime) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            var durability = runtime.Options.Durability;
            return Task.FromResult(HealthCheckResult.Healthy($"Wolverine node {durability.AssignedNodeNumber} ({durability.Mode})",
                new Dictionary<string, object> { ["number"] = durability.AssignedNodeNumber, ["mode"] = durability.Mode.ToString() }));
        }
    }

    private sealed class TransportsHealthCheck(IWolverineRuntime runtime) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            var problems = new List<string>();
            // Kafka's check is asked for by its own type: in this Wolverine version the transport interface does not reach it.
            var checks = runtime.Options.Transports.Select(t => t is KafkaTransport kafka ? kafka.BuildHealthCheck(runtime) : t.BuildHealthCheck(runtime));
            foreach (var check in checks.OfType<WolverineTransportHealthCheck>())
            {
                var result = await check.CheckHealthAsync(ct);
                if (result.Status != TransportHealthStatus.Healthy) problems.Add($"{result.TransportName}: {result.Message}");
            }
            return problems.Count == 0
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Degraded(string.Join("; ", problems) + " (messages wait in the outbox)");
        }
    }
}
