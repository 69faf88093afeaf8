"""The source registry: every extract row points to one of these."""

from __future__ import annotations

from analysis.data.schema import Column, ExtractSpec

SOURCES = ExtractSpec(
    name="sources",
    path="sources.csv",
    title="Source registry",
    description="Every public source an extract row rests on: official files and documents.",
    origin="local",
    key=("source_id",),
    area_column=None,
    columns=(
        Column("source_id", "text", "Short identifier used by extract rows"),
        Column("title", "text", "Title of the publication, file or document"),
        Column("publisher", "text", "Who published it"),
        Column("url", "url", "Public address (landing page or document)"),
        Column("published", "date", "Publication date, where the source states it", nullable=True),
        Column("licence", "text", "Licence or terms (OGL v3.0 for official statistics)"),
        Column("retrieved", "date", "Date the project took the file or read the page"),
        Column("file", "text", "File name of the official file used (empty for web pages)", nullable=True),
        Column("sha256", "sha256", "SHA-256 of the file used, where there is one", nullable=True),
        Column(
            "kind",
            "category",
            "What sort of source this is",
            allowed=(
                "official_statistics",
                "official_letter",
                "council_minutes",
                "news_report",
                "official_page",
                "dataset_copy",
            ),
        ),
        Column("notes", "text", "Anything a reader should know about the source", nullable=True),
    ),
)

SPECS = (SOURCES,)
