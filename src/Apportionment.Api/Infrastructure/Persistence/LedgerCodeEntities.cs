using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Infrastructure.Persistence;

/// <summary>
/// One version of a council's ledger codes, in force from <see cref="EffectiveFrom"/> until a later effective month.
/// A change is a new version: earlier ones are kept, so a journal of an earlier month keeps the codes of its month.
/// </summary>
public sealed class LedgerCodeVersion
{
    public long Id { get; init; }
    public required string Council { get; init; }
    public DateOnly EffectiveFrom { get; init; }
    public int Version { get; init; }
    /// <summary>The codes as the council sent them (JSON), read back by the journals slice.</summary>
    public required string Codes { get; init; }
    public DateTimeOffset SetAt { get; init; }
    public Guid? SetByKey { get; init; }
}

/// <summary>Kept apart from ApportionmentDb's own block so other features' tables merge cleanly beside it.</summary>
public static class LedgerCodeModel
{
    public static void Configure(ModelBuilder b) => b.Entity<LedgerCodeVersion>(e =>
    {
        e.ToTable("ledger_code_versions");
        e.HasKey(x => x.Id);
        // Two racing writers of the same version: the database refuses the second, not a read-then-write check.
        e.HasIndex(x => new { x.Council, x.EffectiveFrom, x.Version }).IsUnique();
        e.Property(x => x.Council).HasMaxLength(16);
        e.Property(x => x.Codes).HasColumnType("jsonb");
        e.HasOne<Council>().WithMany().HasForeignKey(x => x.Council).OnDelete(DeleteBehavior.Restrict);
    });
}
