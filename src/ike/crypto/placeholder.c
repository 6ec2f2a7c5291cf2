/* placeholder until implemented */
typedef int ikescope_placeholder_placeholder;
