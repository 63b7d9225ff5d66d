using JasperFx.Events.Projections;
using Marten;
using ProductHub.Domain.Documents;
using ProductHub.Hub.Infrastructure;
using ProductHub.Projections.Documents;

namespace ProductHub.Hub.Documents;

public static class Configuration
{
    /// <summary>Inline like the part views: a document and its where-used can be read as soon as the release answers.</summary>
    public static StoreOptions ConfigureDocuments(this StoreOptions opts)
    {
        opts.Projections.Add(new LiveAggregation<Document>(Document.Evolve), ProjectionLifecycle.Live);
        opts.Projections.Add<DocumentViewProjection>(ProjectionLifecycle.Inline);
        return opts;
    }
}
