using Marten;
using ProductHub.Projections.Plants;

namespace ProductHub.Hub.Erp.Instances;

public static class PlantsOfInstance
{
    /// <summary>The plants whose current configuration names this ERP instance as theirs.</summary>
    public static async Task<List<string>> CodesAsync(IQuerySession session, string instance, CancellationToken ct) =>
        (await session.Query<PlantView>().ToListAsync(ct)).Where(p => p.Current().ErpInstance == instance).Select(p => p.Code).ToList();
}
