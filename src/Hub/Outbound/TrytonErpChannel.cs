using Marten;
using ProductHub.Adapters.Erp;
using ProductHub.Adapters.Erp.Tryton;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Infrastructure;
using ProductHub.Hub.Security.Secrets;

namespace ProductHub.Hub.Outbound;

/// <summary>
/// A plant publication into Tryton: a login with the password read at this moment (so a rotated one applies to the next
/// attempt), then the records made by <see cref="TrytonConnector"/>. Whatever Tryton refused, or its silence, fails
/// the attempt with what it said.
/// </summary>
public static class TrytonErpChannel
{
    /// <summary>
    /// One delivery at a time per instance, on every node: deliveries of different parts run in parallel, and two of
    /// them looking up the same component before either made it would each make one, two products with one code.
    /// </summary>
    private const int LockClass = 0x54525931;

    public static async Task<ChannelOutcome> DeliverAsync(
        SecretStore secrets, HttpClient http, IDocumentStore store, ErpInstanceConfigured instance, PlantBomPublished publication,
        CancellationToken ct)
    {
        var settings = instance.Tryton!;
        var password = await secrets.ResolveAsync(SecretName.TrytonPassword(instance.Name), settings.PasswordSecret, ct);
        if (password.Problem is { } problem) return new ChannelOutcome.Failed(problem);
        await using var turn = await AdvisoryLock.TakeAsync(store, LockClass, instance.Name, ct);
        try
        {
            var tryton = await TrytonRpc.LoginAsync(
                http, settings.Url, settings.Database, settings.User, password.Value ?? "", TimeSpan.FromSeconds(settings.TimeoutSeconds), ct);
            return await new TrytonConnector(tryton).DeliverAsync(publication, instance.Mapping);
        }
        catch (TrytonException e)
        {
            return new ChannelOutcome.Failed(e.Message);
        }
    }
}
