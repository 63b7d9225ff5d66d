using JasperFx.Events.Projections;
using Marten;
using ProductHub.Projections.Units;

namespace ProductHub.Hub.Units;

public static class Configuration
{
    public static StoreOptions ConfigureUnits(this StoreOptions opts)
    {
        opts.Projections.Snapshot<DefinedUnit>(SnapshotLifecycle.Inline);
        return opts;
    }
}
