using JasperFx.Events.Projections;
using Marten;
using ProductHub.Projections.Status;

namespace ProductHub.Hub.Status;

public static class Configuration
{
    public static StoreOptions ConfigureStatus(this StoreOptions opts)
    {
        opts.Projections.Snapshot<OperationalStatusView>(SnapshotLifecycle.Inline);
        opts.Schema.For<StatusEventReceipt>();
        return opts;
    }
}
