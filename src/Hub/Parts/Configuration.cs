using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using ProductHub.Hub.Parts.Releasing;
using ProductHub.Projections.Parts;

namespace ProductHub.Hub.Parts;

public static class Configuration
{
    /// <summary>
    /// Part read models are inline: a release answers only once its canonical view and where-used index
    /// are written in the same transaction, so a client can read what it just released.
    /// </summary>
    public static StoreOptions ConfigureParts(this StoreOptions opts)
    {
        opts.Projections.Snapshot<PartView>(SnapshotLifecycle.Inline);
        opts.Projections.Add<WhereUsedProjection>(ProjectionLifecycle.Inline);
        var links = new PartLinksTable(opts.DatabaseSchemaName, ((IReadOnlyStoreOptions)opts).FindOrResolveDocumentType(typeof(WhereUsedView)).TableName.QualifiedName);
        opts.Storage.ExtendedSchemaObjects.Add(links);
        opts.Projections.Add(new PartLinksProjection(links.Identifier.QualifiedName), ProjectionLifecycle.Inline);
        opts.Schema.For<ReleaseReceipt>();
        return opts;
    }
}
