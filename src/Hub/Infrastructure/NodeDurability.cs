using Wolverine;

namespace ProductHub.Hub.Infrastructure;

/// <summary>
/// How Wolverine's durability agent treats the other processes on the database (<c>ProductHub:Cluster:Nodes</c>).
/// One node (the default) runs <see cref="DurabilityMode.Solo"/>: at start it takes over every stored message at once,
/// which is what a restarted hub needs and what would double the work of a second live node. Several nodes run
/// <see cref="DurabilityMode.Balanced"/>, with a heartbeat tight enough that a killed node's in-flight deliveries go
/// to the others within seconds rather than Wolverine's default minute (see docs/reliability.md, "Several nodes").
/// </summary>
public static class NodeDurability
{
    public const string NodesSetting = "ProductHub:Cluster:Nodes";
    public const string StaleAfterSetting = "ProductHub:Cluster:StaleNodeAfter";

    public static void Apply(DurabilitySettings durability, IConfiguration configuration)
    {
        if (configuration.GetValue(NodesSetting, 1) <= 1)
        {
            durability.Mode = DurabilityMode.Solo;
            return;
        }
        durability.Mode = DurabilityMode.Balanced;
        // A node is stale once its heartbeat is this old; a live node beats every second, so a pause (GC, a busy
        // machine) of less than this keeps it in, and the work of one that is gone waits no longer than this.
        var staleAfter = configuration.GetValue(StaleAfterSetting, TimeSpan.FromSeconds(10));
        durability.HealthCheckPollingTime = TimeSpan.FromSeconds(1);
        durability.FirstHealthCheckExecution = TimeSpan.FromSeconds(1);
        durability.StaleNodeTimeout = staleAfter;
        durability.NodeReassignmentPollingTime = TimeSpan.FromSeconds(1);
        durability.FirstNodeReassignmentExecution = TimeSpan.FromSeconds(1);
        durability.OrphanedMessageSweepPollingTime = TimeSpan.FromSeconds(1);
        durability.ScheduledJobPollingTime = TimeSpan.FromSeconds(1);
    }
}
