using System.Security.Cryptography;
using System.Text;
using JasperFx;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using ProductHub.Domain.Secrets;

namespace ProductHub.Hub.Security.Secrets;

/// <summary>
/// The hub's secret store. A value given in a configuration request is encrypted with ASP.NET Core Data Protection
/// (authenticated AES, keys rotated by the framework, each ciphertext bound to its secret's name) and kept as a Marten
/// document, not an event: it never reaches the feed, and a new value replaces the old one instead of staying in
/// history. The configuration event carries a <see cref="SecretReference"/> only. Senders read the secret at send time,
/// from here or from the environment variable or file it names.
/// </summary>
public sealed class SecretStore(IDocumentStore store, IDataProtectionProvider protection)
{
    private const string Purpose = "ProductHub.Secrets.v1";
    private static readonly SecretName FingerprintKey = new("hub", "fingerprint-key");

    /// <summary>
    /// Keeps what a configuration request says of a secret, in the caller's session, so that the secret and the event
    /// that references it are stored together or not at all: a value is encrypted into the store, a reference to an
    /// environment variable or a file replaces a stored value, neither removes it.
    /// </summary>
    public async Task<SecretReference?> KeepAsync(IDocumentSession session, SecretName name, string? value, SecretFrom? from, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Store(session, name, value);
            return new SecretReference(SecretSource.Stored, null, await FingerprintAsync(value, ct));
        }
        session.Delete<StoredSecret>(name.Id);
        return from switch
        {
            { Env: { } variable } => new SecretReference(SecretSource.Env, variable, null),
            { File: { } path } => new SecretReference(SecretSource.File, path, null),
            _ => null,
        };
    }

    /// <summary>Encrypts a value into the store, in the caller's session.</summary>
    public void Store(IDocumentSession session, SecretName name, string value) =>
        session.Store(new StoredSecret { Id = name.Id, Ciphertext = Protector(name).Protect(value) });

    /// <summary>The secret for one send. A secret that cannot be read is a problem to report, not an exception.</summary>
    public async Task<ResolvedSecret> ResolveAsync(SecretName name, SecretReference? reference, CancellationToken ct)
    {
        switch (reference?.Source)
        {
            case null:
                return new ResolvedSecret(null, null);
            case SecretSource.Env:
                return Environment.GetEnvironmentVariable(reference.Reference!) is { Length: > 0 } variable
                    ? new ResolvedSecret(variable, null)
                    : new ResolvedSecret(null, $"secret {name}: environment variable {reference.Reference} is not set");
            case SecretSource.File:
                try
                {
                    // Secret files (Docker, Kubernetes, systemd credentials) often end in a line break that is no part of the value.
                    var text = (await File.ReadAllTextAsync(reference.Reference!, ct)).TrimEnd('\r', '\n');
                    return text.Length > 0 ? new ResolvedSecret(text, null) : new ResolvedSecret(null, $"secret {name}: file {reference.Reference} is empty");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return new ResolvedSecret(null, $"secret {name}: file {reference.Reference} cannot be read: {e.Message}");
                }
            default:
                await using (var session = store.QuerySession())
                {
                    if (await session.LoadAsync<StoredSecret>(name.Id, ct) is not { } stored)
                        return new ResolvedSecret(null, $"secret {name} is not in the hub's secret store; configure it again");
                    return Unprotect(name, stored) is { } value
                        ? new ResolvedSecret(value, null)
                        : new ResolvedSecret(null, $"secret {name} cannot be decrypted with this hub's Data Protection keys " +
                                                   "(ProductHub:Secrets:KeysDirectory); configure it again or restore the keys");
                }
        }
    }

    /// <summary>
    /// HMAC-SHA-256 of the value under a key only the hub knows, truncated to 128 bits: equal values show the same
    /// fingerprint, and unlike a plain hash it cannot be brute-forced from the feed for a short secret.
    /// </summary>
    private async Task<string> FingerprintAsync(string value, CancellationToken ct) =>
        "hmac-sha256:" + Convert.ToHexStringLower(HMACSHA256.HashData(await FingerprintKeyAsync(ct), Encoding.UTF8.GetBytes(value))[..16]);

    /// <summary>
    /// The fingerprint key: random, made on first use and kept in the store itself, so every node that shares the
    /// database and the Data Protection keys uses the same one. One that no longer decrypts (the key ring was lost) is
    /// replaced; fingerprints made before then no longer compare.
    /// </summary>
    private async Task<byte[]> FingerprintKeyAsync(CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var kept = await session.LoadAsync<StoredSecret>(FingerprintKey.Id, ct);
        if (kept is not null && Unprotect(FingerprintKey, kept) is { } existing) return Convert.FromBase64String(existing);

        var key = RandomNumberGenerator.GetBytes(32);
        var document = new StoredSecret { Id = FingerprintKey.Id, Ciphertext = Protector(FingerprintKey).Protect(Convert.ToBase64String(key)) };
        if (kept is null) session.Insert(document);
        else session.Store(document);
        try
        {
            await session.SaveChangesAsync(ct);
            return key;
        }
        catch (DocumentAlreadyExistsException)
        {
            return await FingerprintKeyAsync(ct); // another request or node made it first: use that one
        }
    }

    private string? Unprotect(SecretName name, StoredSecret stored)
    {
        try
        {
            return Protector(name).Unprotect(stored.Ciphertext);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private IDataProtector Protector(SecretName name) => protection.CreateProtector(Purpose, name.Id);
}
