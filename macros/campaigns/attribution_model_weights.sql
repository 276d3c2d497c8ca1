{#- A `select ... union all ...` of the weights every attribution model deals
    for every conversion kind (27 rows), fallbacks resolved: W_SHAPED and
    FULL_PATH deal as U_SHAPED for CONTACT_CREATE, FULL_PATH as W_SHAPED for
    DEAL_CREATE (see attribution_models). Columns: attribution_model,
    conversion_kind, weighting_method, and first_weight, last_weight,
    lead_weight, deal_weight, won_weight, others_weight in thousandths. -#}
{% macro attribution_model_weights() -%}
    {%- set model_list = attribution_models() -%}
    {%- set models_by_name = {} -%}
    {%- for attribution_model in model_list -%}
        {%- do models_by_name.update({attribution_model['name']: attribution_model}) -%}
    {%- endfor -%}
    {%- set rows = [] -%}
    {%- for attribution_model in model_list -%}
        {%- for conversion_kind in attribution_conversion_kinds() -%}
            {%- set fallbacks = attribution_model.get('fallbacks', {}) -%}
            {%- set dealt_as = models_by_name[
                fallbacks.get(conversion_kind, attribution_model['name'])
            ] -%}
            {%- set columns = [
                "'" ~ attribution_model['name'] ~ "' as attribution_model",
                "'" ~ conversion_kind ~ "' as conversion_kind",
                "'" ~ dealt_as['method'] ~ "' as weighting_method",
            ] -%}
            {%- for role_name in ['first', 'last', 'lead', 'deal', 'won', 'others'] -%}
                {%- do columns.append(
                    dealt_as['weights'].get(role_name, 0) ~ ' as ' ~ role_name ~ '_weight'
                ) -%}
            {%- endfor -%}
            {%- do rows.append('select ' ~ columns | join(', ')) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ rows | join('\n    union all\n    ') }}
{%- endmacro %}
