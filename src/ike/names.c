/* placeholder until implemented */
typedef int ikescope_placeholder_names;
