using ProductHub.Domain.ChangeOrders;

namespace ProductHub.Projections.ChangeOrders;

/// <summary>The orchestration policy in force for one change order type, and how many versions it had.</summary>
public sealed class ChangeOrderPolicyView
{
    public string Id { get; set; } = "";
    public ChangeOrderPolicyDefined Policy { get; set; } = null!;
    public int Versions { get; set; }

    public static ChangeOrderPolicyView Create(ChangeOrderPolicyDefined e) =>
        new() { Id = ChangeOrderStreams.Policy(e.Type), Policy = e, Versions = 1 };

    public void Apply(ChangeOrderPolicyDefined e)
    {
        Policy = e;
        Versions++;
    }
}
