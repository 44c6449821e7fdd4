# Drawn by the replicate harness; run `gnuplot ablations.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Relevance and dedup ablations (1 = held-out loss, random concat; 2 = isolated; 3 = ICP-ordered)"
set xlabel "evaluation (1 random concat, 2 isolated documents, 3 ICP-ordered held-out)"
set ylabel "held-out loss (nats/token)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'ablations.png'
plot 'ablations.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "RANDOM", \
     'ablations.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "CLUSTER", \
     'ablations.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "ICP", \
     'ablations.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "ICP-dedup", \
     'ablations.dat' index 4 using 1:2:3 with yerrorlines lc 5 pt 5 title "ICP-nodedup"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'ablations.svg'
plot 'ablations.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "RANDOM", \
     'ablations.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "CLUSTER", \
     'ablations.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "ICP", \
     'ablations.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "ICP-dedup", \
     'ablations.dat' index 4 using 1:2:3 with yerrorlines lc 5 pt 5 title "ICP-nodedup"
unset output
