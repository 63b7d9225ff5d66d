namespace ProductHub.Hub.Ops;

/// <summary>Settings under <c>ProductHub:Ops</c>.</summary>
public sealed class OpsOptions
{
    /// <summary>How often the backlog gauges are refreshed from the database.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>More dead letters than this (dead-lettered deliveries and Wolverine's) make <c>/health/ready</c> Degraded.</summary>
    public long DeadLetterThreshold { get; set; }

    /// <summary>A webhook subscription more events behind the event store than this makes <c>/health/ready</c> Degraded.</summary>
    public long SubscriptionLagThreshold { get; set; } = 1000;
}
