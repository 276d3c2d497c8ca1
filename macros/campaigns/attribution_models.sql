{#- HubSpot's nine attribution models (campaigns.md), in display order. Role
    weights are in thousandths (1000 = 100 %) so that a share is one exact
    division of integers. `method` is ROLES (role weights dealt in the spec's
    four steps), LINEAR or TIME_DECAY (weights normalised over the pool).
    `fallbacks` names the model whose weights a conversion kind uses instead. -#}
{% macro attribution_models() -%}
    {{ return([
        {'name': 'FIRST_INTERACTION', 'method': 'ROLES', 'weights': {'first': 1000}},
        {'name': 'LAST_INTERACTION', 'method': 'ROLES', 'weights': {'last': 1000}},
        {'name': 'LINEAR', 'method': 'LINEAR', 'weights': {}},
        {'name': 'U_SHAPED', 'method': 'ROLES',
            'weights': {'first': 400, 'lead': 400, 'others': 200}},
        {'name': 'W_SHAPED', 'method': 'ROLES',
            'weights': {'first': 300, 'lead': 300, 'deal': 300, 'others': 100},
            'fallbacks': {'CONTACT_CREATE': 'U_SHAPED'}},
        {'name': 'FULL_PATH', 'method': 'ROLES',
            'weights': {'first': 225, 'lead': 225, 'deal': 225, 'won': 225, 'others': 100},
            'fallbacks': {'CONTACT_CREATE': 'U_SHAPED', 'DEAL_CREATE': 'W_SHAPED'}},
        {'name': 'TIME_DECAY', 'method': 'TIME_DECAY', 'weights': {}},
        {'name': 'J_SHAPED', 'method': 'ROLES',
            'weights': {'first': 200, 'last': 600, 'others': 200}},
        {'name': 'INVERSE_J_SHAPED', 'method': 'ROLES',
            'weights': {'first': 600, 'last': 200, 'others': 200}},
    ]) }}
{%- endmacro %}
