namespace ProductHub.Domain.Secrets;

/// <summary>Where the hub reads a secret when it sends: its own encrypted store, an environment variable, or a file.</summary>
public enum SecretSource { Stored, Env, File }

/// <summary>
/// What an event says of a secret (an auth header, a password, a client secret), never its value: that one is set,
/// where it comes from (for <c>Env</c> and <c>File</c> the variable's name or the file's path in
/// <paramref name="Reference"/>), and for a stored one a keyed fingerprint, so that a change of the value shows in the
/// history without revealing it. Secrets configured before the store existed have no fingerprint.
/// </summary>
public sealed record SecretReference(SecretSource Source, string? Reference, string? Fingerprint)
{
    /// <summary>A secret found in an event of the old shape: it has been moved to the store, unfingerprinted.</summary>
    public static SecretReference? StoredBefore(string? plaintext) =>
        string.IsNullOrEmpty(plaintext) ? null : new SecretReference(SecretSource.Stored, null, null);
}
