using Marten;
using ProductHub.Projections.Erp;
using ProductHub.Projections.Plants;

namespace ProductHub.Hub.Ops;

/// <summary>A plant configured to send to an ERP instance that is not configured: nothing published to it is delivered.</summary>
public sealed record PlantWithoutErpInstance(string PlantCode, string ErpInstance);

public static class PlantsWithoutErpInstance
{
    public static async Task<IReadOnlyList<PlantWithoutErpInstance>> FindAsync(IQuerySession session, CancellationToken ct)
    {
        // Only the configurations: a plant's view also holds all of its reference data.
        var plants = await session.Query<PlantView>().Select(p => new { p.Code, p.Configurations }).ToListAsync(ct);
        var instances = (await session.Query<ErpInstanceView>().Select(i => i.Name).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        return plants.Select(p => new PlantWithoutErpInstance(p.Code, p.Configurations[^1].ErpInstance))
            .Where(p => !instances.Contains(p.ErpInstance))
            .OrderBy(p => p.PlantCode, StringComparer.Ordinal)
            .ToList();
    }
}
