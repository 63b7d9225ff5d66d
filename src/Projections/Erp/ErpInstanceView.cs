using NodaTime;
using ProductHub.Domain.Erp;

namespace ProductHub.Projections.Erp;

public sealed class ErpInstanceView
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public ErpInstanceConfigured Configuration { get; set; } = null!;
    public int Configurations { get; set; }

    public static ErpInstanceView Create(ErpInstanceConfigured e) =>
        new() { Id = ErpStreams.Instance(e.Name), Name = e.Name, Configuration = e, Configurations = 1 };

    public void Apply(ErpInstanceConfigured e)
    {
        Configuration = e;
        Configurations++;
    }
}
