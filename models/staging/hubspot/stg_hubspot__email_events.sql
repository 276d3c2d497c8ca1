{#- Grain: one row per event_id (macro stage_raw_table). Incremental (macro
    incremental_new_rows): a build adds the new events of the lookback window
    whose event_id is not loaded yet; a repeat is the same record (raw contract),
    so the copy loaded first stays. -#}
{#- Kept in the file, never in the build's scratch database: the next build
    adds to it. -#}
{{ config(
    materialized='incremental',
    database=target.get('database'),
    incremental_strategy='append',
    unique_key='event_id',
    on_schema_change='fail',
) }}

{{ stage_raw_table('email_events') }}
